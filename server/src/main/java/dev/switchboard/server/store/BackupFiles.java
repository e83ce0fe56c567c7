package dev.switchboard.server.store;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The previous versions of a document's file, e.g. {@code backends.json.1} (newest) to {@code backends.json.5}
 * (oldest).
 */
final class BackupFiles<T> {
    static final int KEPT = 5;

    private static final Logger LOG = LoggerFactory.getLogger(BackupFiles.class);

    private final Path file;
    private final StoreFileSystem fileSystem;
    private final FileCodec<T> codec;

    BackupFiles(Path file, StoreFileSystem fileSystem, FileCodec<T> codec) {
        this.file = requireNonNull(file, "file is null");
        this.fileSystem = requireNonNull(fileSystem, "fileSystem is null");
        this.codec = requireNonNull(codec, "codec is null");
    }

    /** @return the path of backup {@code number}, 1 being the newest */
    Path backup(int number) {
        if (number < 1 || number > KEPT) {
            throw new IllegalArgumentException("backup number must be 1 to " + KEPT + ", but is " + number);
        }
        return file.resolveSibling(file.getFileName() + "." + number);
    }

    /**
     * Shifts every backup one place older (dropping the oldest) and makes the current file the newest
     * backup. Called just before the current file is replaced; the current file itself is never touched,
     * so a failure here leaves at worst a gap or a duplicate among the backups.
     */
    void rotate() throws IOException {
        for (int number = KEPT - 1; number >= 1; number--) {
            Path older = backup(number);
            if (fileSystem.exists(older)) {
                fileSystem.replaceAtomically(older, backup(number + 1));
            }
        }
        // A hard link shares the current file's bytes; the rename that follows gives the file new ones.
        fileSystem.linkOrCopy(file, backup(1));
    }

    /** @return the newest backup that can be read, with its state; empty when there is none */
    Optional<ReadableBackup<T>> newestReadable() {
        for (int number = 1; number <= KEPT; number++) {
            Path backup = backup(number);
            if (!fileSystem.exists(backup)) {
                continue;
            }
            try {
                return Optional.of(new ReadableBackup<>(backup, codec.decode(fileSystem.read(backup))));
            } catch (IOException | StoreFormatException e) {
                LOG.warn("Skipping the backup {}: it cannot be read: {}", backup, e.getMessage());
            }
        }
        return Optional.empty();
    }

    /** A backup file and the state it holds. */
    record ReadableBackup<T>(Path path, T state) {
        ReadableBackup {
            requireNonNull(path, "path is null");
            requireNonNull(state, "state is null");
        }
    }
}
