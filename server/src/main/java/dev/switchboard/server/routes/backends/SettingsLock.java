package dev.switchboard.server.routes.backends;

import dev.switchboard.server.http.ApiError;

/**
 * The {@code --lock-settings} switch: when locked, every route that changes backends (Add, Delete, Edit,
 * Toggle and, as in SwarmUI, Restart) is refused after its parameters were bound and before anything else.
 */
public record SettingsLock(boolean locked) {
    void check() {
        if (locked) {
            throw new ApiError("Settings are locked.");
        }
    }
}
