package dev.switchboard.server.outputs;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonObject;
import java.time.Instant;
import java.util.Optional;

/**
 * One saved output in a gallery listing.
 *
 * @param viewPath its path for clients, {@code View/<user>/<path>.<ext>}, as {@link SavedOutput#viewPath()}
 * @param size its size in bytes
 * @param modified when it was written
 * @param metadata what is embedded in it (its PNG {@code parameters} text, else its {@code .swarm.json} side file)
 *     when that is a JSON object: {@code {"sui_image_params": {...}, ...}}
 */
public record OutputEntry(String viewPath, long size, Instant modified, Optional<JsonObject> metadata) {

    public OutputEntry {
        requireNonNull(viewPath, "viewPath is null");
        requireNonNull(modified, "modified is null");
        requireNonNull(metadata, "metadata is null");
    }
}
