package dev.switchboard.server.logging;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where and how the server logs ({@code --log-format}, {@code --log-file}).
 *
 * @param format text or JSON lines
 * @param file the log file, rotated by size; empty for standard error
 * @param maxFileBytes the size at which the file is rotated
 * @param keptFiles how many rotated files are kept beside it ({@code FILE.1} newest … {@code FILE.<n>} oldest)
 */
public record LogOutput(LogFormat format, Optional<Path> file, long maxFileBytes, int keptFiles) {
    /** The size at which the log file is rotated: 10 MiB. */
    public static final long MAX_FILE_BYTES = 10L * 1024 * 1024;
    /** How many rotated log files are kept: 5. */
    public static final int KEPT_FILES = 5;

    public LogOutput {
        requireNonNull(format, "format is null");
        requireNonNull(file, "file is null");
        if (maxFileBytes < 1) {
            throw new IllegalArgumentException("maxFileBytes must be positive: " + maxFileBytes);
        }
        // Logback's rotation reads the file name as a pattern, where % starts a conversion (and cannot be escaped).
        if (file.isPresent() && file.get().toString().contains("%")) {
            throw new IllegalArgumentException("the log file's path must not contain '%': " + file.get());
        }
        // Logback's fixed window keeps at most 20 files.
        if (keptFiles < 1 || keptFiles > 20) {
            throw new IllegalArgumentException("keptFiles must be between 1 and 20: " + keptFiles);
        }
    }

    /** The given format and file with the production rotation: {@value #MAX_FILE_BYTES} bytes, {@value #KEPT_FILES} files. */
    public static LogOutput of(LogFormat format, Optional<Path> file) {
        return new LogOutput(format, file, MAX_FILE_BYTES, KEPT_FILES);
    }

    /** @return whether this is what the shipped {@code logback.xml} already does: text on standard error */
    public boolean isDefault() {
        return format == LogFormat.TEXT && file.isEmpty();
    }
}
