package dev.switchboard.server.store;

import static java.util.Objects.requireNonNull;

import dev.switchboard.api.settings.Settings;

/**
 * What the server writes for one real backend. The store turns it into the file's entry and keeps, from the
 * entry it replaces, whatever the server does not know: unknown entry fields and setting keys the type's
 * schema does not declare.
 *
 * @param id the backend id, 0 or more
 * @param type the backend type id
 * @param title the title, possibly empty
 * @param enabled whether the backend is enabled
 * @param settings every setting of the type's schema
 */
public record BackendEntry(int id, String type, String title, boolean enabled, Settings settings) {
    public BackendEntry {
        requireNonNull(type, "type is null");
        requireNonNull(title, "title is null");
        requireNonNull(settings, "settings is null");
    }
}
