package dev.switchboard.server.store;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The durable home of the real backends: {@code <data-dir>/backends.json}, written so that a change
 * {@link #save saved} survives a crash or power loss, with rotating backups, and never overwritten when it
 * cannot be read. Holds the data directory's lock from {@link #open} to {@link #close}. Thread-safe.
 */
public final class BackendStore implements AutoCloseable {
    static final String FILE_NAME = "backends.json";

    private final Path file;
    private final DataDirectoryLock lock;
    private final DurableDocument<StoredState> document;
    private final Optional<String> problem;
    private final StoreListener listener;
    private final Object queueLock = new Object();
    /** Changes waiting for the next write, in arrival order. Guarded by queueLock. */
    private final List<PendingChange> queue = new ArrayList<>();
    /** Whether a caller is writing a batch now. Guarded by queueLock. */
    private boolean flushing;
    /** Guarded by queueLock. */
    private boolean closed;
    private volatile StoredState state;

    private BackendStore(Path file, DataDirectoryLock lock, DurableDocument<StoredState> document, StoredState state,
            Optional<String> problem, StoreListener listener) {
        this.listener = requireNonNull(listener, "listener is null");
        this.file = requireNonNull(file, "file is null");
        this.lock = requireNonNull(lock, "lock is null");
        this.document = requireNonNull(document, "document is null");
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
        return open(dataDirectory, StoreListener.NONE);
    }

    /**
     * Opens the store as {@link #open(Path)} does, telling {@code listener} about every write.
     *
     * @throws StoreException as {@link #open(Path)}
     */
    public static BackendStore open(Path dataDirectory, StoreListener listener) throws StoreException {
        return open(dataDirectory, new NioStoreFileSystem(), Clock.systemUTC(), listener);
    }

    static BackendStore open(Path dataDirectory, StoreFileSystem fileSystem, Clock clock) throws StoreException {
        return open(dataDirectory, fileSystem, clock, StoreListener.NONE);
    }

    private static BackendStore open(Path dataDirectory, StoreFileSystem fileSystem, Clock clock,
                                     StoreListener listener) throws StoreException {
        requireNonNull(dataDirectory, "dataDirectory is null");
        requireNonNull(fileSystem, "fileSystem is null");
        requireNonNull(clock, "clock is null");
        Path directory = dataDirectory.toAbsolutePath().normalize();
        createDirectory(directory, fileSystem);
        Path file = directory.resolve(FILE_NAME);
        DurableDocument<StoredState> document = DurableDocument.of(file, new BackendsFileCodec(),
                StoredState.empty(), fileSystem, clock);
        DataDirectoryLock lock = DataDirectoryLock.acquire(directory);
        try {
            DurableDocument.Loaded<StoredState> loaded = document.load();
            return new BackendStore(file, lock, document, loaded.state(), loaded.problem(), listener);
        } catch (StoreException e) {
            lock.close();
            throw new StoreException("Could not open the backends store in " + directory + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
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
     * Durably replaces the file with {@code newState}, then makes it the current state. The same as
     * {@link #update} with a change that ignores the state it is given.
     *
     * @throws StoreUnavailableException without touching anything, when {@link #problem()} is present
     * @throws StoreException when the write failed; {@link #state()} is then unchanged and the file holds
     *     its previous version
     * @throws IllegalStateException when the store is closed
     */
    public void save(StoredState newState) throws StoreException {
        requireNonNull(newState, "newState is null");
        update(ignored -> newState);
    }

    /**
     * Applies {@code change} to the current state and makes the result durable, then current; returns only
     * once it is on disk. Changes from concurrent callers are group-committed: whoever finds no write in
     * progress takes every change waiting, applies them in arrival order and writes the result once (one
     * temporary file, fsync, rename, directory fsync); the others wait for that write. A failed write fails
     * every change in it and changes nothing. So {@code change} must be a pure function of the state it gets,
     * which already holds the changes queued before it.
     *
     * @param change computes the new state from the current one; a change that throws fails alone
     * @throws StoreUnavailableException without touching anything, when {@link #problem()} is present
     * @throws StoreException when the write failed; {@link #state()} is then unchanged and the file holds
     *     its previous version
     * @throws IllegalStateException when the store is closed
     */
    public void update(UnaryOperator<StoredState> change) throws StoreException {
        requireNonNull(change, "change is null");
        if (problem.isPresent()) {
            throw new StoreUnavailableException(problem.get());
        }
        PendingChange pending = new PendingChange(change);
        List<PendingChange> batch;
        boolean interrupted = false;
        synchronized (queueLock) {
            checkOpen();
            queue.add(pending);
            while (!pending.done && flushing) {
                interrupted |= awaitQueue();
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (pending.done) {
                pending.rethrow();
                return;
            }
            // No write in progress and ours not written yet: lead the next one, with everything queued.
            flushing = true;
            batch = new ArrayList<>(queue);
            queue.clear();
        }
        StoreException failure = null;
        try {
            StoredState next = state;
            for (PendingChange each : batch) {
                next = each.applyTo(next);
            }
            long fsyncNanos = document.replace(next);
            state = next;
            listener.written(batch.size(), fsyncNanos);
        } catch (StoreException e) {
            failure = e;
        } catch (RuntimeException | Error e) {
            failure = new StoreException("Could not save the backends to " + file + ": " + e, e);
        } finally {
            if (failure != null) {
                listener.writeFailed(batch.size());
            }
            synchronized (queueLock) {
                for (PendingChange each : batch) {
                    each.finish(failure);
                }
                flushing = false;
                queueLock.notifyAll();
            }
        }
        pending.rethrow();
    }

    /** @return how many changes wait for the next write (for tests) */
    int waitingChanges() {
        synchronized (queueLock) {
            return queue.size();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("The backends store of " + file.getParent() + " is closed");
        }
    }

    /** Waits on queueLock (held); returns whether it was interrupted. */
    private boolean awaitQueue() {
        try {
            queueLock.wait();
            return false;
        } catch (InterruptedException e) {
            // A change may already be in a write that is under way; it must be waited for, not abandoned.
            return true;
        }
    }

    /** Releases the data-directory lock. Idempotent; waits for a save in progress. */
    @Override
    public void close() {
        synchronized (queueLock) {
            if (closed) {
                return;
            }
            closed = true;
            boolean interrupted = false;
            while (flushing) {
                interrupted |= awaitQueue();
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            // Changes still queued were never written; their callers are told the store closed.
            for (PendingChange each : queue) {
                each.finish(new StoreException("The backends store of " + file.getParent() + " was closed"));
            }
            queue.clear();
            queueLock.notifyAll();
        }
        lock.close();
    }

    /** One caller's change, waiting to be written; its fields are guarded by queueLock once queued. */
    private static final class PendingChange {
        private final UnaryOperator<StoredState> change;
        private boolean done;
        private StoreException failure;
        private RuntimeException changeFailure;

        PendingChange(UnaryOperator<StoredState> change) {
            this.change = change;
        }

        // Runs in the leader, outside queueLock; a change that throws is left out of the write.
        StoredState applyTo(StoredState current) {
            try {
                return requireNonNull(change.apply(current), "the change returned null");
            } catch (RuntimeException e) {
                changeFailure = e;
                return current;
            }
        }

        void finish(StoreException writeFailure) {
            done = true;
            failure = writeFailure;
        }

        void rethrow() throws StoreException {
            if (changeFailure != null) {
                throw changeFailure;
            }
            if (failure != null) {
                throw failure;
            }
        }
    }
}
