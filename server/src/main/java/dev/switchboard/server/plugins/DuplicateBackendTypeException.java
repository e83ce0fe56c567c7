package dev.switchboard.server.plugins;

import static java.util.Objects.requireNonNull;

/** Two plugins declare the same backend type id; the server refuses to start rather than pick one. */
public final class DuplicateBackendTypeException extends Exception {
    private final String typeId;
    private final String firstPluginId;
    private final String secondPluginId;

    /**
     * Creates the exception.
     *
     * @param typeId the contested type id
     * @param firstPluginId the plugin that declared it first (in load order)
     * @param secondPluginId the plugin that declared it again
     */
    public DuplicateBackendTypeException(String typeId, String firstPluginId, String secondPluginId) {
        super("Backend type '" + typeId + "' is declared by both plugin '" + firstPluginId + "' and plugin '"
                + secondPluginId + "'");
        this.typeId = requireNonNull(typeId, "typeId is null");
        this.firstPluginId = requireNonNull(firstPluginId, "firstPluginId is null");
        this.secondPluginId = requireNonNull(secondPluginId, "secondPluginId is null");
    }

    /** Returns the contested type id. */
    public String typeId() {
        return typeId;
    }

    /** Returns the plugin that declared the type first. */
    public String firstPluginId() {
        return firstPluginId;
    }

    /** Returns the plugin that declared the type again. */
    public String secondPluginId() {
        return secondPluginId;
    }
}
