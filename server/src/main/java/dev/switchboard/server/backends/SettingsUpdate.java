package dev.switchboard.server.backends;

import dev.switchboard.api.settings.Settings;

/**
 * A change to a backend's settings, applied to the values it has when the edit runs (so a setting the change
 * does not name keeps its value). Made by the caller from whatever form the change arrived in.
 */
@FunctionalInterface
public interface SettingsUpdate {
    /**
     * Returns the settings after the change.
     *
     * @param current the backend's settings now
     * @return the new settings, of the same schema
     * @throws BackendOperationException when a value does not fit; the message names the setting
     */
    Settings applyTo(Settings current) throws BackendOperationException;
}
