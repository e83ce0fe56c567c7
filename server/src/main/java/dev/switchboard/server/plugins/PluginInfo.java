package dev.switchboard.server.plugins;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What the host knows about one plugin it found, loaded or not.
 *
 * @param id the plugin id (for a plugin whose descriptor could not be read: its file name)
 * @param version the plugin version, or empty when unknown
 * @param provider the provider, or empty
 * @param description the description, or empty
 * @param path where the plugin was found
 * @param state the lower-case PF4J state: {@code "started"}, {@code "failed"}, {@code "disabled"},
 *     {@code "stopped"}, {@code "unloaded"}, ...
 * @param error why the plugin failed or was disabled, in one readable sentence
 * @param backendTypes the ids of the backend types it registered
 */
public record PluginInfo(String id, String version, String provider, String description, Path path,
        String state, Optional<String> error, List<String> backendTypes) {

    /** Checks that nothing is null and copies the list. */
    public PluginInfo {
        requireNonNull(id, "id is null");
        requireNonNull(version, "version is null");
        requireNonNull(provider, "provider is null");
        requireNonNull(description, "description is null");
        requireNonNull(path, "path is null");
        requireNonNull(state, "state is null");
        requireNonNull(error, "error is null");
        backendTypes = List.copyOf(requireNonNull(backendTypes, "backendTypes is null"));
    }
}
