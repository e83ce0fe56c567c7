package dev.switchboard.server.store;

import static java.util.Objects.requireNonNull;

import dev.switchboard.server.store.BackupFiles.ReadableBackup;
import dev.switchboard.server.store.DurableDocument.Loaded;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a document's file (the backends file, the users file) at start-up. Never modifies, moves or deletes
 * it: an unreadable file is reported, copied aside for the operator, and the newest readable backup is served
 * in its place.
 */
final class DurableFileLoader<T> {
    private static final Logger LOG = LoggerFactory.getLogger(DurableFileLoader.class);

    private final Path file;
    private final StoreFileSystem fileSystem;
    private final FileCodec<T> codec;
    private final T initial;
    private final BackupFiles<T> backups;
    private final UnreadableFileCopies unreadableCopies;

    /**
     * @param initial the state of a document never saved, served when neither the file nor a backup exists
     */
    DurableFileLoader(Path file, StoreFileSystem fileSystem, FileCodec<T> codec, T initial, BackupFiles<T> backups,
            UnreadableFileCopies unreadableCopies) {
        this.file = requireNonNull(file, "file is null");
        this.fileSystem = requireNonNull(fileSystem, "fileSystem is null");
        this.codec = requireNonNull(codec, "codec is null");
        this.initial = requireNonNull(initial, "initial is null");
        this.backups = requireNonNull(backups, "backups is null");
        this.unreadableCopies = requireNonNull(unreadableCopies, "unreadableCopies is null");
    }

    Loaded<T> load() {
        if (!fileSystem.exists(file)) {
            return loadWithoutFile();
        }
        byte[] content = null;
        try {
            content = fileSystem.read(file);
            return new Loaded<>(codec.decode(content), Optional.empty());
        } catch (IOException e) {
            return unreadable("it could not be read (" + e + ")", null);
        } catch (StoreFormatException e) {
            return unreadable(e.getMessage(), content);
        }
    }

    private Loaded<T> loadWithoutFile() {
        Optional<ReadableBackup<T>> backup = backups.newestReadable();
        if (backup.isEmpty()) {
            return new Loaded<>(initial, Optional.empty());
        }
        // Our saves never leave the file missing, but an operator (or an interrupted older save) can.
        LOG.warn("{} is missing; loaded the {} from the backup {} instead. The next change writes {} again.",
                file, codec.what(), backup.get().path(), file.getFileName());
        return new Loaded<>(backup.get().state(), Optional.empty());
    }

    private Loaded<T> unreadable(String why, byte[] content) {
        StringBuilder problem = new StringBuilder()
                .append("The ").append(codec.what()).append(" file ").append(file)
                .append(" cannot be used: ").append(why).append('.')
                .append(" Switchboard leaves it untouched");
        if (content == null) {
            problem.append(" (its bytes stay only there: they could not be read to make a copy)");
        } else {
            try {
                problem.append(" and has kept a copy of its bytes at ").append(unreadableCopies.keep(content));
            } catch (IOException e) {
                problem.append(" (its bytes stay only there: a copy could not be made: ").append(e).append(')');
            }
        }
        problem.append('.');
        Optional<ReadableBackup<T>> backup = backups.newestReadable();
        T state;
        if (backup.isPresent()) {
            state = backup.get().state();
            problem.append(" Meanwhile the ").append(codec.what()).append(" from the backup ")
                    .append(backup.get().path()).append(" are shown, and every change is refused.");
        } else {
            state = initial;
            problem.append(" No readable backup exists, so no ").append(codec.what())
                    .append(" are loaded, and every change is refused.");
        }
        problem.append(" To fix it, repair the file, or replace it with a backup (")
                .append(file.getFileName()).append(".1 is the newest), or move it away to start empty;")
                .append(" then restart Switchboard.");
        String text = problem.toString();
        LOG.error(text);
        return new Loaded<>(state, Optional.of(text));
    }
}
