package dev.switchboard.server.plugins;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The backend types the plugins contribute. Filled once by {@link PluginHost#start()}, read-only afterwards and
 * thread-safe. Order is registration order: plugins by id, then each plugin's extensions by class name.
 */
public final class BackendTypeRegistry {
    private volatile Contents contents = new Contents(List.of(), Map.of());
    private boolean published;

    BackendTypeRegistry() {
    }

    /**
     * Creates a registry holding the given types, for hosts and tests that register types without PF4J.
     *
     * @param types the types in registration order; ids must be unique
     * @return a published registry
     */
    public static BackendTypeRegistry of(List<RegisteredBackendType> types) {
        BackendTypeRegistry registry = new BackendTypeRegistry();
        registry.publish(types);
        return registry;
    }

    /** Publishes the registered types; only once. */
    synchronized void publish(List<RegisteredBackendType> types) {
        if (published) {
            throw new IllegalStateException("backend types were already registered");
        }
        Map<String, RegisteredBackendType> byId = new LinkedHashMap<>();
        for (RegisteredBackendType type : types) {
            if (byId.putIfAbsent(type.id(), type) != null) {
                throw new IllegalArgumentException("duplicate backend type id " + type.id());
            }
        }
        contents = new Contents(List.copyOf(types), Map.copyOf(byId));
        published = true;
    }

    /**
     * Returns every registered type.
     *
     * @return an unmodifiable list in registration order
     */
    public List<RegisteredBackendType> types() {
        return contents.types();
    }

    /**
     * Finds a type by its exact, case-sensitive id.
     *
     * @param typeId e.g. {@code comfyui_api}
     * @return the type, or empty when no plugin registered it
     */
    public Optional<RegisteredBackendType> find(String typeId) {
        requireNonNull(typeId, "typeId is null");
        return Optional.ofNullable(contents.byId().get(typeId));
    }

    private record Contents(List<RegisteredBackendType> types, Map<String, RegisteredBackendType> byId) {
    }
}
