package dev.switchboard.server.store;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * One crash-safe document file in the data directory, with the guarantees of {@code backends.json}: every
 * {@link #replace} writes a temporary file, forces it to disk, reads it back and checks it decodes to the state
 * meant, keeps the previous five versions as {@code <file>.1} to {@code .5}, renames it over the file atomically
 * and forces the directory; the file is created readable by its owner only. {@link #load} removes temporary
 * files a crashed save left, and never changes a file it cannot read: it keeps a copy of it aside, serves the
 * newest readable backup, and from then on every {@link #replace} is refused.
 *
 * <p>Only one process may write a data directory: the caller must hold its lock (a running server's
 * {@link BackendStore}, or {@link DataDirectoryLock#acquire}) from {@link #load} until its last {@link #replace}.
 * Thread-safe: saves are serialized.
 *
 * @param <T> the immutable state the file holds
 */
public final class DurableDocument<T> {
    private final Path file;
    private final FileCodec<T> codec;
    private final DurableFileWriter<T> writer;
    private final DurableFileLoader<T> loader;
    /** Empty until loaded; then the problem found, if any. Guarded by this. */
    private Optional<Optional<String>> problem = Optional.empty();

    private DurableDocument(Path file, FileCodec<T> codec, T initial, StoreFileSystem fileSystem, Clock clock) {
        this.file = requireNonNull(file, "file is null").toAbsolutePath().normalize();
        this.codec = requireNonNull(codec, "codec is null");
        requireNonNull(initial, "initial is null");
        requireNonNull(fileSystem, "fileSystem is null");
        requireNonNull(clock, "clock is null");
        BackupFiles<T> backups = new BackupFiles<>(this.file, fileSystem, codec);
        this.writer = new DurableFileWriter<>(this.file, fileSystem, codec, backups);
        this.loader = new DurableFileLoader<>(this.file, fileSystem, codec, initial, backups,
                new UnreadableFileCopies(this.file, fileSystem, clock));
    }

    /**
     * A document on the default file system; nothing is read or written until {@link #load}.
     *
     * @param file the document's file, in an existing data directory whose lock the caller holds
     * @param codec reads and writes its content
     * @param initial the state served when neither the file nor a backup of it exists
     */
    public static <T> DurableDocument<T> of(Path file, FileCodec<T> codec, T initial) {
        return new DurableDocument<>(file, codec, initial, new NioStoreFileSystem(), Clock.systemUTC());
    }

    static <T> DurableDocument<T> of(Path file, FileCodec<T> codec, T initial, StoreFileSystem fileSystem,
                                     Clock clock) {
        return new DurableDocument<>(file, codec, initial, fileSystem, clock);
    }

    /** @return the document's file, absolute */
    public Path file() {
        return file;
    }

    /**
     * Deletes the temporary files of a save that did not finish, then reads the file: the state it holds; when
     * it is missing, the newest readable backup (else {@code initial}); when it cannot be read or decoded, the
     * newest readable backup (else {@code initial}) and a problem saying what is wrong, where a copy of its bytes
     * is kept and what to do. The file itself is never changed.
     *
     * @throws StoreException when the leftover temporary files cannot be listed or deleted (then nothing is
     *     loaded, and {@link #replace} stays refused)
     */
    public synchronized Loaded<T> load() throws StoreException {
        try {
            writer.deleteLeftovers();
        } catch (IOException e) {
            throw new StoreException("Could not open the " + codec.what() + " file " + file
                    + ": the temporary files of an unfinished save could not be deleted: " + e, e);
        }
        Loaded<T> loaded = loader.load();
        problem = Optional.of(loaded.problem());
        return loaded;
    }

    /**
     * Durably replaces the file with {@code state}; once this returns, the new version survives a crash or power
     * loss (a directory that could not be forced afterwards is logged as an error, the change is in effect).
     *
     * @return how long forcing the new file and the directory to disk took, in nanoseconds
     * @throws StoreUnavailableException without touching anything, when {@link #load} found the file unreadable;
     *     the message is that problem
     * @throws StoreException when the write failed; the file then still holds its previous version
     * @throws IllegalStateException when {@link #load} has not succeeded yet
     */
    public synchronized long replace(T state) throws StoreException {
        requireNonNull(state, "state is null");
        Optional<String> found = problem.orElseThrow(() -> new IllegalStateException(
                "The " + codec.what() + " file " + file + " must be loaded before it is replaced"));
        if (found.isPresent()) {
            throw new StoreUnavailableException(found.get());
        }
        return writer.replace(state);
    }

    /**
     * What loading found.
     *
     * @param state the state to serve
     * @param problem why the file cannot be used, when it cannot (then every change is refused)
     * @param <T> the document's state
     */
    public record Loaded<T>(T state, Optional<String> problem) {
        /** Checks the fields. */
        public Loaded {
            requireNonNull(state, "state is null");
            requireNonNull(problem, "problem is null");
        }
    }
}
