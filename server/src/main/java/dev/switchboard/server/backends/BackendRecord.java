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

    /** Volatile so a child can read its parent's id without taking the parent's lock. */
    volatile int id;
    String title;
    boolean enabled;
    Settings settings;
    /** Stored keys the type does not declare; kept so they are written back unchanged. */
    JsonObject unknownSettings;
    /** The file entry this record came from (unknown entry fields survive), or null for new backends. */
    StoredBackend stored;

    BackendStatus status = BackendStatus.WAITING;
    String statusMessage = "Waiting to load.";
    int modcount;
    /** Sorted and unmodifiable (shared by snapshots). */
    Set<String> features = Collections.emptySortedSet();
    int maxUsages = 1;
    boolean canLoadModels = true;
    String currentModel;
    int usages;
    long lastUsedNanos;
    boolean shutdownReserved;

    long generation;
    int attempts;
    Backend instance;
    InstanceContext context;
    PluginCallRunner.PluginCall<?> runningInit;

    BackendRecord(RegisteredBackendType type, int id, boolean real, BackendRecord parent,
                  Function<BackendContext, Backend> childFactory, String title, boolean enabled, Settings settings) {
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
    }

    /** Reads the parent's current id (it changes when the parent is re-keyed). */
    OptionalInt parentId() {
        if (parent == null) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(parent.id);
    }

    synchronized void setStatus(BackendStatus newStatus, String message) {
        status = newStatus;
        statusMessage = message;
    }

    synchronized boolean isCurrent(long expectedGeneration) {
        return generation == expectedGeneration;
    }

    @Override
    public synchronized String toString() {
        return "backend " + id + " (" + type.id() + ")";
    }
}
