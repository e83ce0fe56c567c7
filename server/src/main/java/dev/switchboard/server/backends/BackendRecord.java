package dev.switchboard.server.backends;

import com.google.gson.JsonObject;
import dev.switchboard.api.Backend;
import dev.switchboard.api.BackendContext;
import dev.switchboard.api.BackendStatus;
import dev.switchboard.api.settings.Settings;
import dev.switchboard.server.plugins.PluginCallRunner;
import dev.switchboard.server.plugins.RegisteredBackendType;
import dev.switchboard.server.store.StoredBackend;
import java.util.OptionalInt;
import java.util.Collections;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The host's record of one backend: configuration, status and what it advertises. Mutable state is guarded
 * by the record's monitor; {@link #operationLock} additionally serializes the long-running operations
 * (edit, toggle, restart, delete) on this one backend, so operations on different backends run in parallel.
 *
 * <p>{@link #generation} identifies the current incarnation: every operation that restarts or stops the
 * backend bumps it, which supersedes pending init attempts and retires the contexts of older instances.
 */
final class BackendRecord {
    final RegisteredBackendType type;
    final boolean real;
    /** The backend that spawned this non-real child, or null for real backends. */
    final BackendRecord parent;
    /** Creates instances of a non-real child; null for real backends, which use the type's factory. */
    final Function<BackendContext, Backend> childFactory;
    final ReentrantLock operationLock = new ReentrantLock();
    /** The engine's own output (e.g. a launched process's), kept across restarts of this backend. */
    final OutputLog output = new OutputLog(OutputLog.DEFAULT_CAPACITY);

    /** Counts changes to what snapshots show; shared by every record of one service. */
    private final ViewVersion viewVersion;

    // What snapshots show: written only through the setters below, which count the change in viewVersion.
    /** Volatile so a child can read its parent's id without taking the parent's lock. */
    private volatile int id;
    private String title;
    private boolean enabled;
    private Settings settings;
    /** Stored keys the type does not declare; kept so they are written back unchanged. */
    JsonObject unknownSettings;
    /** The file entry this record came from (unknown entry fields survive), or null for new backends. */
    StoredBackend stored;

    private BackendStatus status = BackendStatus.WAITING;
    private String statusMessage = "Waiting to load.";
    private int modcount;
    /** Sorted and unmodifiable (shared by snapshots). */
    private Set<String> features = Collections.emptySortedSet();
    private int maxUsages = 1;
    private boolean canLoadModels = true;
    private String currentModel;
    private long lastUsedNanos;

    int usages;
    boolean shutdownReserved;

    long generation;
    int attempts;
    Backend instance;
    InstanceContext context;
    PluginCallRunner.PluginCall<?> runningInit;

    BackendRecord(ViewVersion viewVersion, RegisteredBackendType type, int id, boolean real, BackendRecord parent,
                  Function<BackendContext, Backend> childFactory, String title, boolean enabled, Settings settings) {
        this.viewVersion = viewVersion;
        this.type = type;
        this.id = id;
        this.real = real;
        this.parent = parent;
        this.childFactory = childFactory;
        this.title = title;
        this.enabled = enabled;
        this.settings = settings;
        this.unknownSettings = new JsonObject();
    }

    synchronized BackendSnapshot snapshot(long nowNanos) {
        long usedAgo = lastUsedNanos == 0 ? -1 : Math.max(0, (nowNanos - lastUsedNanos) / 1_000_000);
        return new BackendSnapshot(id, type.id(), type.displayName(), type.imageBackend(), status, statusMessage,
                settings, modcount, features, enabled, title, maxUsages, usedAgo, canLoadModels,
                currentModel, real, parentId());
    }

    /** Records use now, here and (as SwarmUI's parent link intends) on the parent. Caller holds this monitor. */
    void markUsed(long nowNanos) {
        lastUsedNanos = nowNanos == 0 ? 1 : nowNanos;
        if (parent != null) {
            synchronized (parent) {
                parent.lastUsedNanos = lastUsedNanos;
            }
        }
        viewVersion.changed();
    }

    /** Reads the parent's current id (it changes when the parent is re-keyed). */
    OptionalInt parentId() {
        if (parent == null) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(parent.id);
    }

    // Readers of the fields below hold this monitor, as writers do.

    int id() {
        return id;
    }

    String title() {
        return title;
    }

    boolean enabled() {
        return enabled;
    }

    Settings settings() {
        return settings;
    }

    BackendStatus status() {
        return status;
    }

    int maxUsages() {
        return maxUsages;
    }

    synchronized void setStatus(BackendStatus newStatus, String message) {
        status = newStatus;
        statusMessage = message;
        viewVersion.changed();
    }

    synchronized void setStatusMessage(String message) {
        statusMessage = message;
        viewVersion.changed();
    }

    /** Re-keys the backend after an edit; the modcount counts edits, as SwarmUI's does. */
    synchronized void edited(int newId, String newTitle, Settings newSettings) {
        id = newId;
        title = newTitle;
        settings = newSettings;
        modcount++;
        viewVersion.changed();
    }

    synchronized void setEnabled(boolean value) {
        enabled = value;
        viewVersion.changed();
    }

    /** @param sorted a sorted, unmodifiable set, shared by snapshots */
    synchronized void setFeatures(Set<String> sorted) {
        features = sorted;
        viewVersion.changed();
    }

    synchronized void setMaxUsages(int value) {
        maxUsages = value;
        viewVersion.changed();
    }

    synchronized void setCanLoadModels(boolean value) {
        canLoadModels = value;
        viewVersion.changed();
    }

    synchronized void setCurrentModel(String model) {
        currentModel = model;
        viewVersion.changed();
    }

    synchronized boolean isCurrent(long expectedGeneration) {
        return generation == expectedGeneration;
    }

    @Override
    public synchronized String toString() {
        return "backend " + id + " (" + type.id() + ")";
    }
}
