package dev.switchboard.server.outputs;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * One image as {@link OutputStore#save} wrote it.
 *
 * @param viewPath what clients are given and fetch with {@code GET /<viewPath>}: {@code View/<user>/<path>.<ext>},
 *     without a leading slash and not URL-encoded (as SwarmUI answers it)
 * @param file the file on disk
 */
public record SavedOutput(String viewPath, Path file) {

    public SavedOutput {
        requireNonNull(viewPath, "viewPath is null");
        requireNonNull(file, "file is null");
    }
}
