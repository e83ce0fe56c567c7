package dev.switchboard.server.store;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * The durable home of the real backends: {@code <data-dir>/backends.json}, written so that a change
 * {@link #save saved} survives a crash or power loss, with rotating backups, and never overwritten when it
 * cannot be read. Holds the data directory's lock from {@link #open} to {@link #close}. Thread-safe.
 */
public final class BackendStore implements AutoCloseable {
    static final String FILE_NAME = "backends.json";

    private final Path file;
    private final DataDirectoryLock lock;
    private final BackendsFileWriter writer;
    private final Optional<String> problem;
    private volatile StoredState state;
    private boolean closed;

    private BackendStore(Path file, DataDirectoryLock lock, BackendsFileWriter writer, StoredState state,
            Optional<String> problem) {
        this.file = requireNonNull(file, "file is null");
        this.lock = requireNonNull(lock, "lock is null");
        this.writer = requireNonNull(writer, "writer is null");
        this.state = requireNonNull(state, "state is null");
        this.problem = requireNonNull(problem, "problem is null");
    }

    /**
     * Creates the directory if needed, takes the data-directory lock, and loads {@code backends.json}.
     *
     * @param dataDirectory the server's data directory
     * @return the open store; an unreadable file is reported through {@link #problem()}, not thrown
     * @throws DataDirectoryLockedException when another live server (or another store in this JVM) holds the
     *     lock; the message names the directory and, when known, the other process's pid
     * @throws StoreException when the directory or its lock file cannot be created
     */
    public static BackendStore open(Path dataDirectory) throws StoreException {
        return open(dataDirectory, new NioStoreFileSystem(), Clock.systemUTC());
    }

    static BackendStore open(Path dataDirectory, StoreFileSystem fileSystem, Clock clock) throws StoreException {
        requireNonNull(dataDirectory, "dataDirectory is null");
        requireNonNull(fileSystem, "fileSystem is null");
        requireNonNull(clock, "clock is null");
        Path directory = dataDirectory.toAbsolutePath().normalize();
        createDirectory(directory, fileSystem);
        Path file = directory.resolve(FILE_NAME);
        BackendsFileCodec codec = new BackendsFileCodec();
        BackupFiles backups = new BackupFiles(file, fileSystem, codec);
        BackendsFileWriter writer = new BackendsFileWriter(file, fileSystem, codec, backups);
        BackendsFileLoader loader = new BackendsFileLoader(file, fileSystem, codec, backups,
                new UnreadableFileCopies(file, fileSystem, clock));
        DataDirectoryLock lock = DataDirectoryLock.acquire(directory);
        try {
            writer.deleteLeftovers();
            BackendsFileLoader.Loaded loaded = loader.load();
            return new BackendStore(file, lock, writer, loaded.state(), loaded.problem());
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw new StoreException("Could not open the backends store in " + directory + ": " + e, e);
        }
    }

    private static void createDirectory(Path directory, StoreFileSystem fileSystem) throws StoreException {
        if (fileSystem.exists(directory)) {
            return;
        }
        try {
            fileSystem.createDirectories(directory);
            // The new directory's own entry must be durable too, or a power loss can take the file with it.
            if (directory.getParent() != null) {
                fileSystem.forceDirectory(directory.getParent());
            }
        } catch (IOException e) {
            throw new StoreException("Could not create the data directory " + directory + ": " + e, e);
        }
    }

    /** @return {@code <dataDirectory>/backends.json}, absolute */
    public Path file() {
        return file;
    }

    /**
     * Returns the last durably saved state, or the loaded one. When the file is unreadable, this is the
     * newest readable backup, or the empty state, so reads keep working.
     */
    public StoredState state() {
        return state;
    }

    /**
     * Returns, when {@code backends.json} could not be read, a sentence naming the file, why, where a copy
     * of its bytes is kept, and what the operator should do. Fixed for the life of this store.
     */
    public Optional<String> problem() {
        return problem;
    }

    /**
     * Durably replaces the file with {@code newState}, then makes it the current state.
     *
     * @throws StoreUnavailableException without touching anything, when {@link #problem()} is present
     * @throws StoreException when the write failed; {@link #state()} is then unchanged and the file holds
     *     its previous version (unless the message says only the final directory sync failed)
     * @throws IllegalStateException when the store is closed
     */
    public synchronized void save(StoredState newState) throws StoreException {
        requireNonNull(newState, "newState is null");
        if (closed) {
            throw new IllegalStateException("The backends store of " + file.getParent() + " is closed");
        }
        if (problem.isPresent()) {
            throw new StoreUnavailableException(problem.get());
        }
        writer.replace(newState);
        state = newState;
    }

    /** Releases the data-directory lock. Idempotent; waits for a save in progress. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        lock.close();
    }
}
