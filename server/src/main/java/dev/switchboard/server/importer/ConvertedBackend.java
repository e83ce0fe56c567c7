package dev.switchboard.server.importer;

import static java.util.Objects.requireNonNull;

import dev.switchboard.api.settings.Settings;
import dev.switchboard.server.store.StoredBackend;
import java.util.List;
import java.util.Optional;

/**
 * A backend of the SwarmUI file as it will be stored.
 *
 * @param source the backend as the file has it
 * @param entry what {@code backends.json} will hold for it
 * @param settings the typed settings, when an installed plugin provides the type; empty for a type kept verbatim
 * @param defaulted the type's settings the file does not have, which take their defaults (an OLD file lacks
 *     the settings added since)
 * @param undeclared the file's settings the type does not declare, kept in the entry but unused
 */
record ConvertedBackend(SwarmBackend source, StoredBackend entry, Optional<Settings> settings,
                        List<String> defaulted, List<String> undeclared) {
    ConvertedBackend {
        requireNonNull(source, "source is null");
        requireNonNull(entry, "entry is null");
        requireNonNull(settings, "settings is null");
        defaulted = List.copyOf(defaulted);
        undeclared = List.copyOf(undeclared);
    }

    /** @return whether no installed plugin provides the type, so the entry is kept verbatim and not loaded */
    boolean unknownType() {
        return settings.isEmpty();
    }
}
