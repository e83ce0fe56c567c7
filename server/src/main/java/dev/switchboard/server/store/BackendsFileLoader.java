package dev.switchboard.server.store;

import static java.util.Objects.requireNonNull;

import dev.switchboard.server.store.BackupFiles.ReadableBackup;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the backends file at start-up. Never modifies, moves or deletes it: an unreadable file is reported,
 * copied aside for the operator, and the newest readable backup is served in its place.
 */
final class BackendsFileLoader {
    private static final Logger LOG = LoggerFactory.getLogger(BackendsFileLoader.class);

    private final Path file;
    private final StoreFileSystem fileSystem;
    private final BackendsFileCodec codec;
    private final BackupFiles backups;
    private final UnreadableFileCopies unreadableCopies;

    BackendsFileLoader(Path file, StoreFileSystem fileSystem, BackendsFileCodec codec, BackupFiles backups,
            UnreadableFileCopies unreadableCopies) {
        this.file = requireNonNull(file, "file is null");
        this.fileSystem = requireNonNull(fileSystem, "fileSystem is null");
        this.codec = requireNonNull(codec, "codec is null");
        this.backups = requireNonNull(backups, "backups is null");
        this.unreadableCopies = requireNonNull(unreadableCopies, "unreadableCopies is null");
    }

    /** What loading found: the state to serve, and the problem when the file could not be read. */
    record Loaded(StoredState state, Optional<String> problem) {
        Loaded {
            requireNonNull(state, "state is null");
            requireNonNull(problem, "problem is null");
        }
    }

    Loaded load() {
        if (!fileSystem.exists(file)) {
            return loadWithoutFile();
        }
        byte[] content = null;
        try {
            content = fileSystem.read(file);
            return new Loaded(codec.decode(content), Optional.empty());
        } catch (IOException e) {
            return unreadable("it could not be read (" + e + ")", null);
        } catch (StoreFormatException e) {
            return unreadable(e.getMessage(), content);
        }
    }

    private Loaded loadWithoutFile() {
        Optional<ReadableBackup> backup = backups.newestReadable();
        if (backup.isEmpty()) {
            return new Loaded(StoredState.empty(), Optional.empty());
        }
        // Our saves never leave the file missing, but an operator (or an interrupted older save) can.
        LOG.warn("{} is missing; loaded the backends from the backup {} instead. The next change writes {} again.",
                file, backup.get().path(), file.getFileName());
        return new Loaded(backup.get().state(), Optional.empty());
    }

    private Loaded unreadable(String why, byte[] content) {
        StringBuilder problem = new StringBuilder()
                .append("The backends file ").append(file).append(" cannot be used: ").append(why).append('.')
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
        Optional<ReadableBackup> backup = backups.newestReadable();
        StoredState state;
        if (backup.isPresent()) {
            state = backup.get().state();
            problem.append(" Meanwhile the backends from the backup ").append(backup.get().path())
                    .append(" are shown, and every change is refused.");
        } else {
            state = StoredState.empty();
            problem.append(" No readable backup exists, so no backends are loaded, and every change is refused.");
        }
        problem.append(" To fix it, repair the file, or replace it with a backup (")
                .append(file.getFileName()).append(".1 is the newest), or move it away to start empty;")
                .append(" then restart Switchboard.");
        String text = problem.toString();
        LOG.error(text);
        return new Loaded(state, Optional.of(text));
    }
}
