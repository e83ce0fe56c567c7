package dev.switchboard.server.backends;

import static java.util.Objects.requireNonNull;

/**
 * An edit of one backend: its new title, the change to its settings and, optionally, a new id.
 *
 * @param title the new title, possibly empty
 * @param settings the change to the settings
 * @param newId the id to move the backend to, or any negative number to keep its id
 */
public record BackendEdit(String title, SettingsUpdate settings, int newId) {
    public BackendEdit {
        requireNonNull(title, "title is null");
        requireNonNull(settings, "settings is null");
    }
}
