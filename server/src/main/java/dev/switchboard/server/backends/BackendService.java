package dev.switchboard.server.backends;

import dev.switchboard.server.plugins.PluginCallException;
import dev.switchboard.server.plugins.PluginCallRunner;
import static java.util.Objects.requireNonNull;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.switchboard.api.Backend;
import dev.switchboard.api.BackendContext;
import dev.switchboard.api.BackendStatus;
import dev.switchboard.api.ChildBackends;
import dev.switchboard.api.settings.SettingIssue;
import dev.switchboard.api.settings.Settings;
import dev.switchboard.server.plugins.BackendTypeRegistry;
import dev.switchboard.server.plugins.Durations;
import dev.switchboard.server.plugins.RegisteredBackendType;
import dev.switchboard.server.store.BackendStore;
import dev.switchboard.server.store.StoreException;
import dev.switchboard.server.store.StoreUnavailableException;
import dev.switchboard.server.store.StoredBackend;
import dev.switchboard.server.store.StoredState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry of backends and the operations the API offers on them. Every change to real backends is
 * written to the store durably before it takes effect in memory, so a change the API acknowledged survives
 * a crash, and a change the store refused changes nothing.
 *
 * <p>Locking: {@code mutationLock} serializes id allocation and changes to the set of backends; it is not held
 * while a change is written, so concurrent changes share one write of the store (group commit). An id being
 * added or moved to is reserved under it until its write ends. Each record's operation lock serializes all
 * work on that one backend, including the write of its change. Readers never take either lock. Order:
 * operation lock, then mutation lock, then a record's monitor.
 */
public final class BackendService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BackendService.class);
    private static final Duration SERVER_STOP_DRAIN = Duration.ofSeconds(5);

    private final BackendStore store;
    private final BackendTypeRegistry types;
    private final PluginCallRunner runner;
    private final LifecycleOptions options;
    private final BackendLifecycle lifecycle;
    // Changed only through register/unregister, which count the change in viewVersion.
    private final ConcurrentSkipListMap<Integer, BackendRecord> records = new ConcurrentSkipListMap<>();
    private final ViewVersion viewVersion = new ViewVersion();
    /** The last count of running backends and the view version it was counted at; null before the first. */
    private volatile RunningCount runningCount;
    private final AtomicInteger nextNonRealId = new AtomicInteger(-1);
    private final Object mutationLock = new Object();
    /** Guarded by mutationLock. */
    private final Map<Integer, UnloadedEntry> unloaded = new TreeMap<>();
    /** Ids taken by an add or an id change whose write is under way. Guarded by mutationLock. */
    private final Set<Integer> reservedIds = new HashSet<>();
    /** Guarded by mutationLock. */
    private int nextId;
    /** The backends load() found, until startInits() takes them. Set and read by the starting thread. */
    private List<BackendRecord> loaded = List.of();
    /** Starts the loaded backends' inits; null before startInits(). */
    private volatile Thread startupInits;
    private volatile boolean closing;

    public BackendService(BackendStore store, BackendTypeRegistry types, PluginCallRunner runner,
                          ServerIdentity identity, LifecycleOptions options, Path backendsWorkRoot) {
        this.store = requireNonNull(store, "store is null");
        this.types = requireNonNull(types, "types is null");
        this.runner = requireNonNull(runner, "runner is null");
        this.options = requireNonNull(options, "options is null");
        this.lifecycle = new BackendLifecycle(runner, identity, options, backendsWorkRoot, new Children());
    }

    /** Loads the stored backends and starts initialising them in the background. Called once. */
    public void start() {
        load();
        startInits();
    }

    /**
     * Loads the stored backends, all {@code waiting}, without starting them; {@link #startInits()} does. The
     * server loads before its API starts and starts the inits after, so thousands of them never delay it.
     */
    public void load() {
        List<BackendRecord> loaded = new ArrayList<>();
        synchronized (mutationLock) {
            StoredState state = store.state();
            int highest = -1;
            for (StoredBackend entry : state.backends()) {
                highest = Math.max(highest, entry.id());
                Optional<RegisteredBackendType> type = types.find(entry.type());
                if (type.isEmpty()) {
                    keepUnloaded(entry, "Backend type '" + entry.type() + "' is not available: its plugin is not installed or failed to load.");
                    continue;
                }
                Settings settings;
                try {
                    settings = SettingsBinder.fromStored(type.get().schema(), entry.settings());
                } catch (InvalidSettingException e) {
                    keepUnloaded(entry, "Its stored settings are invalid: " + e.getMessage());
                    continue;
                }
                BackendRecord record = new BackendRecord(viewVersion, type.get(), entry.id(), true, null, null,
                        entry.title(), entry.enabled(), settings);
                record.stored = entry;
                record.unknownSettings = unknownSettings(type.get(), entry.settings());
                register(entry.id(), record);
                loaded.add(record);
            }
            nextId = Math.max(state.nextId(), highest + 1);
        }
        store.problem().ifPresent(LOG::error);
        LOG.info("Loaded {} backend(s) from {}", loaded.size(), store.file());
        this.loaded = List.copyOf(loaded);
    }

    /** Starts initialising the loaded backends on a background thread (creating thousands takes seconds). */
    public void startInits() {
        List<BackendRecord> toStart = loaded;
        loaded = List.of();
        startupInits = new Thread(() -> startLoaded(toStart), "backend-startup");
        startupInits.setDaemon(true);
        startupInits.start();
    }

    private void startLoaded(List<BackendRecord> loaded) {
        for (BackendRecord record : loaded) {
            if (closing) {
                return;
            }
            record.operationLock.lock();
            try {
                boolean untouched;
                synchronized (record) {
                    untouched = record.generation == 0;
                }
                // An edit, toggle or restart that came first has started (or stopped) it already.
                if (untouched && records.get(record.id()) == record && !closing) {
                    lifecycle.startInit(record);
                }
            } catch (RuntimeException e) {
                LOG.error("Could not start {}", record, e);
            } finally {
                record.operationLock.unlock();
            }
        }
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

    /**
     * Counts every change to what {@link #list} shows except the clock's effect on the time since use: a list
     * taken after reading a value shows every change counted up to that value, so a view rendered from it
     * stays right while the value stays the same.
     */
    public long viewVersion() {
        return viewVersion.current();
    }

    public Optional<BackendSnapshot> find(int id) {
        BackendRecord record = records.get(id);
        return record == null ? Optional.empty() : Optional.of(record.snapshot(System.nanoTime()));
    }

    /** Entries of the backends file that are kept but could not be loaded. */
    public List<UnloadedBackend> unloaded() {
        synchronized (mutationLock) {
            return unloaded.values().stream().map(UnloadedEntry::describe).toList();
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
                BackendStatus status;
                synchronized (record) {
                    status = record.status();
                }
                if (status == BackendStatus.RUNNING || status == BackendStatus.LOADING) {
                    count++;
                }
            }
        }
        runningCount = new RunningCount(version, count);
        return count;
    }

    /** Adds a backend of the given type with default settings and starts initialising it. */
    public BackendSnapshot add(String typeId) throws BackendOperationException {
        RegisteredBackendType type = types.find(typeId)
                .orElseThrow(() -> new BackendOperationException("Invalid backend type: " + typeId));
        checkOpen();
        int id = reserveNewId();
        BackendRecord record = new BackendRecord(viewVersion, type, id, true, null, null, "", true,
                type.schema().defaults());
        StoredBackend entry = storedEntry(record, id, "", true, record.settings());
        try {
            save(state -> state.withBackend(entry).withNextId(Math.max(state.nextId(), id + 1)));
        } catch (BackendOperationException | RuntimeException e) {
            releaseReservation(id);
            throw e;
        }
        synchronized (mutationLock) {
            // Released in the same step that registers the backend, so no other add can take the id between.
            reservedIds.remove(id);
            record.stored = entry;
            nextId = Math.max(nextId, id + 1);
            register(id, record);
        }
        LOG.info("Added {}", record);
        lifecycle.startInit(record);
        return record.snapshot(System.nanoTime());
    }

    /**
     * Replaces a backend's title and the given settings (others keep their values), optionally moving it to
     * {@code newId} (negative = keep the id), then restarts it. Everything is validated first: a refused
     * edit changes nothing and leaves the backend running.
     */
    public BackendSnapshot edit(int id, String title, JsonObject settingsUpdate, int newId) throws BackendOperationException {
        requireNonNull(title, "title is null");
        requireNonNull(settingsUpdate, "settingsUpdate is null");
        int targetId = newId == id ? -1 : newId;
        if (targetId >= 0) {
            synchronized (mutationLock) {
                if (isOccupied(targetId)) {
                    throw new BackendOperationException("Backend ID " + targetId + " is already in use.");
                }
            }
        }
        BackendRecord record = existing(id);
        checkOpen();
        record.operationLock.lock();
        try {
            if (records.get(id) != record) {
                throw new BackendOperationException("Invalid backend ID " + id);
            }
            if (targetId >= 0 && !record.real) {
                throw new BackendOperationException("Backend " + id + " is a non-real backend managed by backend "
                        + record.parentId().orElse(0) + "; it cannot be given a new id.");
            }
            Settings current;
            synchronized (record) {
                current = record.settings();
            }
            Settings merged;
            try {
                merged = SettingsBinder.merge(current, settingsUpdate);
            } catch (InvalidSettingException e) {
                throw new BackendOperationException(e.getMessage());
            }
            validateWithType(record.type, merged);
            int finalId = targetId >= 0 ? targetId : id;
            if (targetId >= 0) {
                synchronized (mutationLock) {
                    if (isOccupied(targetId)) {
                        throw new BackendOperationException("Backend ID " + targetId + " is already in use.");
                    }
                    reservedIds.add(targetId);
                }
            }
            StoredBackend entry = null;
            try {
                if (record.real) {
                    boolean enabled;
                    synchronized (record) {
                        enabled = record.enabled();
                    }
                    StoredBackend written = storedEntry(record, finalId, title, enabled, merged);
                    save(state -> state.withoutBackend(id).withBackend(written)
                            .withNextId(Math.max(state.nextId(), finalId + 1)));
                    entry = written;
                }
            } catch (BackendOperationException | RuntimeException e) {
                releaseReservation(targetId);
                throw e;
            }
            synchronized (mutationLock) {
                // Released in the same step that moves the backend to it.
                reservedIds.remove(targetId);
                if (entry != null) {
                    record.stored = entry;
                    nextId = Math.max(nextId, finalId + 1);
                }
                record.edited(finalId, title, merged);
                if (finalId != id) {
                    unregister(id, record);
                    register(finalId, record);
                }
            }
            LOG.info("Edited {}", record);
            restartLocked(record, "Applying new settings.");
            return record.snapshot(System.nanoTime());
        } finally {
            record.operationLock.unlock();
        }
    }

    /** Deletes a backend (or a kept entry whose type is unavailable). Returns SwarmUI's result text. */
    public String delete(int id) throws BackendOperationException {
        BackendRecord record = records.get(id);
        if (record == null) {
            return deleteUnloaded(id) ? "Deleted." : "Already didn't exist.";
        }
        checkOpen();
        record.operationLock.lock();
        try {
            // The operation lock keeps this record at this id; only its own operations move or remove it.
            if (records.get(id) != record) {
                return "Already didn't exist.";
            }
            if (record.real) {
                save(state -> state.withoutBackend(id));
            }
            synchronized (mutationLock) {
                unregister(id, record);
            }
            LOG.info("Deleted {}", record);
            lifecycle.stop(record, false, "Deleted.", options.usageDrainTimeout());
            return "Deleted.";
        } finally {
            record.operationLock.unlock();
        }
    }

    /** Enables or disables a backend. Returns SwarmUI's result text. */
    public String toggle(int id, boolean enabled) throws BackendOperationException {
        BackendRecord record = existing(id);
        checkOpen();
        record.operationLock.lock();
        try {
            synchronized (record) {
                if (record.enabled() == enabled) {
                    return "No change.";
                }
            }
            if (records.get(id) != record) {
                throw new BackendOperationException("Invalid backend ID " + id);
            }
            if (record.real) {
                Settings settings;
                String title;
                synchronized (record) {
                    settings = record.settings();
                    title = record.title();
                }
                StoredBackend entry = storedEntry(record, id, title, enabled, settings);
                save(state -> state.withBackend(entry));
                record.stored = entry;
            }
            record.setEnabled(enabled);
            LOG.info("{} {}", enabled ? "Enabled" : "Disabled", record);
            // Disabling an errored backend keeps it errored (SwarmUI does the same), so the reason stays visible.
            lifecycle.stop(record, true, "Disabled.", options.usageDrainTimeout());
            if (enabled) {
                lifecycle.startInit(record);
            }
            return "Success.";
        } finally {
            record.operationLock.unlock();
        }
    }

    /**
     * Restarts the selected backends ({@code "all"} or an id's exact decimal text) that are running or
     * errored; returns how many were restarted.
     */
    public int restart(String selector) throws BackendOperationException {
        checkOpen();
        int count = 0;
        for (BackendRecord record : new ArrayList<>(records.values())) {
            if (!selects(selector, record)) {
                continue;
            }
            record.operationLock.lock();
            try {
                if (records.get(record.id()) != record) {
                    continue;
                }
                BackendStatus status;
                synchronized (record) {
                    status = record.status();
                }
                if (status != BackendStatus.RUNNING && status != BackendStatus.ERRORED) {
                    continue;
                }
                LOG.info("Restarting {}", record);
                restartLocked(record, "Restarting.");
                count++;
            } finally {
                record.operationLock.unlock();
            }
        }
        return count;
    }

    /** Asks the selected running backends to free memory, concurrently; counts those that did. */
    public FreeMemoryResult freeMemory(String selector, boolean systemRam) {
        List<BackendRecord> targets = new ArrayList<>();
        List<Backend> instances = new ArrayList<>();
        for (BackendRecord record : records.values()) {
            synchronized (record) {
                if (record.status() == BackendStatus.RUNNING && !record.shutdownReserved && record.instance != null
                        && selects(selector, record)) {
                    targets.add(record);
                    instances.add(record.instance);
                }
            }
        }
        if (targets.isEmpty()) {
            return new FreeMemoryResult(false, 0);
        }
        List<PluginCallRunner.PluginCall<Boolean>> calls = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            Backend instance = instances.get(i);
            calls.add(runner.submit(targets.get(i).type.classLoader(), () -> instance.freeMemory(systemRam)));
        }
        int freed = 0;
        long deadline = System.nanoTime() + options.freeMemoryTimeout().toNanos();
        for (int i = 0; i < calls.size(); i++) {
            Duration remaining = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
            try {
                if (Boolean.TRUE.equals(calls.get(i).await("Freeing memory", remaining))) {
                    freed++;
                }
            } catch (PluginCallException e) {
                LOG.warn("{} could not free memory: {}", targets.get(i), e.getMessage());
            }
        }
        return new FreeMemoryResult(true, freed);
    }

    /**
     * Claims a running backend for one unit of work (the hook generation dispatch uses). The backend must be
     * running, enabled, not being shut down, and below its {@code max_usages}.
     *
     * @throws BackendOperationException when the backend cannot take work now
     */
    public BackendClaim claim(int id) throws BackendOperationException {
        BackendRecord record = existing(id);
        synchronized (record) {
            if (record.status() != BackendStatus.RUNNING || !record.enabled() || record.shutdownReserved) {
                throw new BackendOperationException("Backend " + id + " is not running.");
            }
            if (record.usages >= record.maxUsages()) {
                throw new BackendOperationException("Backend " + id + " is busy (" + record.usages + " of "
                        + record.maxUsages() + " jobs).");
            }
            record.usages++;
            record.markUsed(System.nanoTime());
            return new BackendClaim(record);
        }
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

    /** Stops every backend (in parallel, each under its deadlines) and the lifecycle threads. */
    @Override
    public void close() {
        closing = true;
        Thread startup = startupInits;
        if (startup != null) {
            try {
                startup.join(SERVER_STOP_DRAIN.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<BackendRecord> all = new ArrayList<>(records.values());
        ExecutorService stoppers = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "backend-stop");
            thread.setDaemon(true);
            return thread;
        });
        for (BackendRecord record : all) {
            if (record.real) {
                stoppers.execute(() -> lifecycle.stop(record, true, "Server stopped.", SERVER_STOP_DRAIN));
            }
        }
        stoppers.shutdown();
        try {
            Duration limit = SERVER_STOP_DRAIN.plus(options.shutdownTimeout()).plusSeconds(2);
            if (!stoppers.awaitTermination(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("Some backends did not stop within {}; leaving them behind", Durations.describe(limit));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lifecycle.close();
    }

    private void restartLocked(BackendRecord record, String message) {
        lifecycle.stop(record, false, message, options.usageDrainTimeout());
        lifecycle.startInit(record);
    }

    private void validateWithType(RegisteredBackendType type, Settings settings) throws BackendOperationException {
        List<SettingIssue> issues;
        try {
            issues = runner.call(type.classLoader(), "Validating settings", options.callTimeout(),
                    () -> type.type().validate(settings));
        } catch (PluginCallException e) {
            throw new BackendOperationException("Could not validate the settings: " + e.getMessage());
        }
        if (issues != null && !issues.isEmpty()) {
            SettingIssue issue = issues.get(0);
            throw new BackendOperationException("Invalid value for setting '" + issue.setting() + "': " + issue.message());
        }
    }

    private BackendRecord existing(int id) throws BackendOperationException {
        BackendRecord record = records.get(id);
        if (record == null) {
            throw new BackendOperationException("Invalid backend ID " + id);
        }
        return record;
    }

    private void checkOpen() throws BackendOperationException {
        if (closing) {
            throw new BackendOperationException("The server is shutting down.");
        }
    }

    private static boolean selects(String selector, BackendRecord record) {
        return "all".equals(selector) || Integer.toString(record.id()).equals(selector);
    }

    private void releaseReservation(int id) {
        synchronized (mutationLock) {
            reservedIds.remove(id);
        }
    }

    private int reserveNewId() {
        synchronized (mutationLock) {
            int id = nextId;
            while (isOccupied(id)) {
                id++;
            }
            reservedIds.add(id);
            return id;
        }
    }

    // Guarded by mutationLock.
    private boolean isOccupied(int id) {
        return records.containsKey(id) || unloaded.containsKey(id) || reservedIds.contains(id);
    }

    private StoredBackend storedEntry(BackendRecord record, int id, String title, boolean enabled, Settings settings) {
        JsonObject json = SettingsBinder.toStored(settings);
        JsonObject unknown = record.unknownSettings;
        for (Map.Entry<String, JsonElement> extra : unknown.entrySet()) {
            json.add(extra.getKey(), extra.getValue().deepCopy());
        }
        return record.stored == null
                ? StoredBackend.of(id, record.type.id(), title, enabled, json)
                : record.stored.withFields(id, title, enabled, json);
    }

    /** Writes one change durably, sharing the write with concurrent changes; holds no lock of ours. */
    private void save(UnaryOperator<StoredState> change) throws BackendOperationException {
        try {
            store.update(change);
        } catch (StoreUnavailableException e) {
            throw new BackendOperationException(e.getMessage());
        } catch (StoreException e) {
            LOG.error("Could not save {}", store.file(), e);
            throw new BackendOperationException("Could not save the change to " + store.file() + ": " + e.getMessage()
                    + " Nothing was changed.");
        }
    }

    private boolean deleteUnloaded(int id) throws BackendOperationException {
        synchronized (mutationLock) {
            if (!unloaded.containsKey(id)) {
                return false;
            }
            checkOpen();
            // Rare enough to hold the mutation lock across the write, which keeps a second delete out.
            save(state -> state.withoutBackend(id));
            unloaded.remove(id);
            LOG.info("Deleted the unloaded backend entry {}", id);
            return true;
        }
    }

    private void keepUnloaded(StoredBackend entry, String reason) {
        unloaded.put(entry.id(), new UnloadedEntry(entry, reason));
        LOG.warn("Backend {} ({}) is kept in {} but not loaded: {}", entry.id(), entry.type(), store.file(), reason);
    }

    private static JsonObject unknownSettings(RegisteredBackendType type, JsonObject stored) {
        JsonObject unknown = new JsonObject();
        for (Map.Entry<String, JsonElement> entry : stored.entrySet()) {
            if (type.schema().find(entry.getKey()).isEmpty()) {
                unknown.add(entry.getKey(), entry.getValue().deepCopy());
            }
        }
        return unknown;
    }

    /** Non-real children: spawned by a backend through its context, removed with it. */
    private final class Children implements ChildSpawner {
        @Override
        public ChildBackends handleFor(BackendRecord parent, long generation) {
            return new ChildBackends() {
                @Override
                public int spawn(String title, Function<BackendContext, Backend> factory) {
                    return spawnChild(parent, generation, title, factory);
                }

                @Override
                public void remove(int childId) {
                    BackendRecord child = records.get(childId);
                    if (child != null && child.parent == parent && unregister(childId, child)) {
                        lifecycle.stop(child, false, "Removed by its parent.", options.usageDrainTimeout());
                    }
                }
            };
        }

        @Override
        public void removeChildrenOf(BackendRecord parent) {
            for (BackendRecord child : new ArrayList<>(records.values())) {
                if (child.parent == parent && unregister(child.id(), child)) {
                    lifecycle.stop(child, false, "Removed with its parent.", options.usageDrainTimeout());
                }
            }
        }
    }

    private int spawnChild(BackendRecord parent, long generation, String title, Function<BackendContext, Backend> factory) {
        requireNonNull(title, "title is null");
        requireNonNull(factory, "factory is null");
        BackendRecord child;
        // Checked and registered under the parent's monitor: a concurrent stop of the parent bumps its
        // generation under the same monitor, so it either refuses this spawn or sees the child.
        synchronized (parent) {
            if (parent.generation != generation || closing) {
                throw new IllegalStateException("Backend " + parent.id() + " is shutting down; it cannot spawn children");
            }
            int id = nextNonRealId.getAndDecrement();
            child = new BackendRecord(viewVersion, parent.type, id, false, parent, factory, title, true,
                    parent.settings());
            register(id, child);
        }
        LOG.info("{} spawned non-real {}", parent, child);
        lifecycle.startInit(child);
        return child.id();
    }

    private record UnloadedEntry(StoredBackend stored, String reason) {
        UnloadedBackend describe() {
            return new UnloadedBackend(stored.id(), stored.type(), stored.title(), reason);
        }
    }

    private void register(int id, BackendRecord record) {
        records.put(id, record);
        viewVersion.changed();
    }

    private boolean unregister(int id, BackendRecord record) {
        boolean removed = records.remove(id, record);
        viewVersion.changed();
        return removed;
    }

    private record RunningCount(long version, int count) {
    }
}
