package dev.switchboard.server.backends;

import dev.switchboard.api.Backend;
import dev.switchboard.api.BackendContext;
import dev.switchboard.api.BackendStatus;
import dev.switchboard.api.settings.Settings;
import dev.switchboard.server.plugins.PluginCallRunner;
import dev.switchboard.server.plugins.RegisteredBackendType;
import dev.switchboard.server.secrets.Redactor;
import dev.switchboard.server.secrets.SecretValues;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;

/**
 * The set of backends: the records by id, id allocation and reservations, the kept entries whose type is
 * unavailable, and the view version that counts every change to what snapshots show. Readers (list, find,
 * counts) never lock; changes to the set are serialized by the registry's own lock, which is never held while
 * anything is written to disk. Also the port through which a dispatcher claims job slots.
 */
public final class BackendRegistry implements BackendClaims {
    // Changed only through register/unregister, which count the change in viewVersion.
    private final ConcurrentSkipListMap<Integer, BackendRecord> records = new ConcurrentSkipListMap<>();
    private final ViewVersion viewVersion = new ViewVersion();
    private final Redactor redactor = new Redactor();
    private final PluginCallRunner runner;
    private final AtomicInteger nextNonRealId = new AtomicInteger(-1);
    /** The last count of running backends and the view version it was counted at; null before the first. */
    private volatile RunningCount runningCount;
    private volatile boolean closing;

    private final Object lock = new Object();
    /** Guarded by lock. */
    private final Map<Integer, UnloadedBackend> unloaded = new TreeMap<>();
    /** Ids taken by an add or an id change whose write is under way. Guarded by lock. */
    private final Set<Integer> reservedIds = new HashSet<>();
    /** Guarded by lock. */
    private int nextId;

    /** @param runner runs the plugin calls of the jobs claimed here */
    public BackendRegistry(PluginCallRunner runner) {
        this.runner = runner;
    }

    /** Snapshots of the backends in ascending id order (non-real children, with negative ids, first). */
    public List<BackendSnapshot> list(boolean includeNonReal) {
        return list(includeNonReal, System.nanoTime());
    }

    /**
     * Snapshots as {@link #list(boolean)} takes them, their time since use measured at {@code nowNanos}.
     *
     * @param nowNanos a {@link System#nanoTime()} reading taken at most now
     */
    public List<BackendSnapshot> list(boolean includeNonReal, long nowNanos) {
        List<BackendSnapshot> result = new ArrayList<>();
        for (BackendRecord record : records.values()) {
            if (record.real || includeNonReal) {
                result.add(record.snapshot(nowNanos));
            }
        }
        return result;
    }

    @Override
    public List<BackendSnapshot> snapshots() {
        return list(true);
    }

    /**
     * Counts every change to what {@link #list} shows except the clock's effect on the time since use: a list
     * taken after reading a value shows every change counted up to that value, so a view rendered from it
     * stays right while the value stays the same.
     */
    @Override
    public long viewVersion() {
        return viewVersion.current();
    }

    @Override
    public Optional<BackendSnapshot> snapshot(int id) {
        return find(id);
    }

    @Override
    public void watch(IntConsumer changed) {
        viewVersion.watch(changed);
    }

    @Override
    public void unwatch(IntConsumer changed) {
        viewVersion.unwatch(changed);
    }

    public Optional<BackendSnapshot> find(int id) {
        BackendRecord record = records.get(id);
        return record == null ? Optional.empty() : Optional.of(record.snapshot(System.nanoTime()));
    }

    /** Entries of the backends file that are kept but could not be loaded. */
    public List<UnloadedBackend> unloaded() {
        synchronized (lock) {
            return List.copyOf(unloaded.values());
        }
    }

    /** Number of image backends that are running or loading (SwarmUI's {@code count_running}). */
    public int countRunning() {
        // GetNewSession asks on every call: the count is kept until what snapshots show changes.
        long version = viewVersion.current();
        RunningCount kept = runningCount;
        if (kept != null && kept.version() == version) {
            return kept.count();
        }
        int count = 0;
        for (BackendRecord record : records.values()) {
            if (record.type.imageBackend()) {
                BackendStatus status = record.status();
                if (status == BackendStatus.RUNNING || status == BackendStatus.LOADING) {
                    count++;
                }
            }
        }
        runningCount = new RunningCount(version, count);
        return count;
    }

    /**
     * Returns a page of a backend's engine output (e.g. its launched process's lines).
     *
     * @param cursor the number of the first line wanted (0 for everything still kept)
     * @param limit the most lines to return
     */
    public OutputPage output(int id, long cursor, int limit) throws BackendOperationException {
        return existing(id).output.since(cursor, limit);
    }

    @Override
    public Optional<BackendClaim> tryClaim(int backendId) {
        BackendRecord record = records.get(backendId);
        Backend instance = record == null ? null : record.tryClaim(System.nanoTime());
        return instance == null ? Optional.empty() : Optional.of(new BackendClaim(record, instance, runner));
    }

    /**
     * Claims a job slot of a running backend, saying why when it cannot.
     *
     * @throws BackendOperationException when the backend does not exist or cannot take work now
     */
    public BackendClaim claim(int backendId) throws BackendOperationException {
        BackendRecord record = existing(backendId);
        Backend instance = record.tryClaim(System.nanoTime());
        if (instance == null) {
            throw new BackendOperationException(record.whyNotClaimable());
        }
        return new BackendClaim(record, instance, runner);
    }

    // ---- for the operations, the lifecycle and the loader of this package ---------------------------------

    BackendRecord record(int id) {
        return records.get(id);
    }

    BackendRecord existing(int id) throws BackendOperationException {
        BackendRecord record = records.get(id);
        if (record == null) {
            throw new BackendOperationException("Invalid backend ID " + id);
        }
        return record;
    }

    /** A copy of the records, for operations that visit each. */
    List<BackendRecord> records() {
        return new ArrayList<>(records.values());
    }

    /** The secrets of every registered backend, to keep out of text the server shows or logs. */
    public Redactor redactor() {
        return redactor;
    }

    /** A record of this registry, not yet registered. */
    BackendRecord newRecord(RegisteredBackendType type, int id, boolean real, BackendRecord parent,
                            Function<BackendContext, Backend> childFactory, String title, boolean enabled,
                            Settings settings) {
        return new BackendRecord(viewVersion, redactor, type, id, real, parent, childFactory, title, enabled,
                settings);
    }

    /** Registers a loaded backend; called before the API starts. */
    void registerLoaded(BackendRecord record) {
        synchronized (lock) {
            register(record.id(), record);
        }
    }

    void keepUnloaded(UnloadedBackend entry) {
        synchronized (lock) {
            unloaded.put(entry.id(), entry);
        }
    }

    /** Sets the next id to try after loading: at least {@code storedNextId} and above every id in use. */
    void setNextId(int storedNextId) {
        synchronized (lock) {
            int highest = -1;
            for (int id : records.keySet()) {
                highest = Math.max(highest, id);
            }
            for (int id : unloaded.keySet()) {
                highest = Math.max(highest, id);
            }
            nextId = Math.max(storedNextId, highest + 1);
        }
    }

    int nextId() {
        synchronized (lock) {
            return nextId;
        }
    }

    /** Reserves the lowest free id from the next id on, until {@link #registerReserved} or release. */
    int reserveNewId() {
        synchronized (lock) {
            int id = nextId;
            while (isOccupied(id)) {
                id++;
            }
            reservedIds.add(id);
            return id;
        }
    }

    /** Refuses an id that a backend, a kept entry or a pending write already has. */
    void checkFree(int id) throws BackendOperationException {
        synchronized (lock) {
            if (isOccupied(id)) {
                throw new BackendOperationException("Backend ID " + id + " is already in use.");
            }
        }
    }

    /** Reserves {@code id} for a backend moving to it. */
    void reserve(int id) throws BackendOperationException {
        synchronized (lock) {
            checkFree(id);
            reservedIds.add(id);
        }
    }

    void releaseReservation(int id) {
        synchronized (lock) {
            reservedIds.remove(id);
        }
    }

    /** Registers a new backend at its reserved id, in the same step that releases the reservation. */
    void registerReserved(BackendRecord record) {
        synchronized (lock) {
            reservedIds.remove(record.id());
            nextId = Math.max(nextId, record.id() + 1);
            register(record.id(), record);
        }
    }

    /** Applies an edit; a move to a reserved id releases the reservation in the same step. */
    void applyEdit(BackendRecord record, int newId, String title, Settings settings) {
        synchronized (lock) {
            int oldId = record.id();
            reservedIds.remove(newId);
            nextId = Math.max(nextId, newId + 1);
            record.applyEdit(newId, title, settings);
            if (oldId != newId) {
                unregister(oldId, record);
                register(newId, record);
                // Its children's snapshots show the parent's id: watchers must look at them again.
                for (BackendRecord child : records.values()) {
                    if (child.parent == record) {
                        viewVersion.changed(child.id());
                    }
                }
            }
            redactor.setSecrets(record, SecretValues.of(settings));
        }
    }

    /** Removes a backend. @return false when it was no longer registered at that id */
    boolean remove(int id, BackendRecord record) {
        synchronized (lock) {
            return unregister(id, record);
        }
    }

    /** Registers a non-real child under a fresh negative id; the caller holds the parent's monitor. */
    int registerChild(IntFunction<BackendRecord> create) {
        int id = nextNonRealId.getAndDecrement();
        register(id, create.apply(id));
        return id;
    }

    /** Removes a non-real child without the registry lock (children are never reserved or stored). */
    boolean removeChild(int id, BackendRecord child) {
        return unregister(id, child);
    }

    boolean isUnloaded(int id) {
        synchronized (lock) {
            return unloaded.containsKey(id);
        }
    }

    /** Holds the registry lock across {@code removal}, which keeps a second delete of the entry out. */
    boolean removeUnloaded(int id, UnloadedRemoval removal) throws BackendOperationException {
        synchronized (lock) {
            if (!unloaded.containsKey(id)) {
                return false;
            }
            removal.remove();
            unloaded.remove(id);
            return true;
        }
    }

    /** Refuses every later change; reads keep working. */
    void close() {
        closing = true;
    }

    boolean closing() {
        return closing;
    }

    void checkOpen() throws BackendOperationException {
        if (closing) {
            throw new BackendOperationException("The server is shutting down.");
        }
    }

    // Guarded by lock.
    private boolean isOccupied(int id) {
        return records.containsKey(id) || unloaded.containsKey(id) || reservedIds.contains(id);
    }

    private void register(int id, BackendRecord record) {
        redactor.setSecrets(record, SecretValues.of(record.settings()));
        records.put(id, record);
        viewVersion.changed(id);
    }

    private boolean unregister(int id, BackendRecord record) {
        boolean removed = records.remove(id, record);
        if (removed) {
            redactor.remove(record);
        }
        viewVersion.changed(id);
        return removed;
    }

    /** The durable part of removing a kept entry, run under the registry lock. */
    interface UnloadedRemoval {
        void remove() throws BackendOperationException;
    }

    private record RunningCount(long version, int count) {
    }
}
