package dev.switchboard.server.importer;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One backend of a SwarmUI backends file, as SwarmUI would load it.
 *
 * @param id the id (the section's key)
 * @param type the type id, exact
 * @param title the title; empty when the file has none
 * @param enabled whether it is enabled; true when the file does not say
 * @param settings the {@code settings} sub-section's values by name, in file order (text, list or section)
 * @param line the 1-based line of the backend's key
 */
record SwarmBackend(int id, String type, String title, boolean enabled, Map<String, FdsNode> settings, int line) {
    SwarmBackend {
        requireNonNull(type, "type is null");
        requireNonNull(title, "title is null");
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }
}
