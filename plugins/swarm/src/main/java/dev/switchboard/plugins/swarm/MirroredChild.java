package dev.switchboard.plugins.swarm;

import static java.util.Objects.requireNonNull;

import dev.switchboard.api.BackendContext;
import dev.switchboard.api.BackendStatus;

/**
 * The link between one remote backend and the non-real child that mirrors it here. The control backend
 * feeds it the remote's latest entry and reachability; the child's current instance attaches its context,
 * and everything known is copied onto that context (now, and at every later update). Thread-safe.
 */
final class MirroredChild {
    private final int remoteId;

    // All guarded by this.
    private int childId;
    private RemoteBackend latest;
    private BackendContext context;
    private BackendStatus status = BackendStatus.RUNNING;
    private String message;
    private String failure;

    MirroredChild(RemoteBackend entry, String address) {
        this.latest = requireNonNull(entry, "entry is null");
        this.remoteId = entry.id();
        this.message = runningMessage(address);
    }

    int remoteId() {
        return remoteId;
    }

    synchronized int childId() {
        return childId;
    }

    synchronized void childId(int id) {
        this.childId = id;
    }

    /** Called by the child's init: from now on its context shows what the remote says. */
    synchronized void attach(BackendContext childContext) {
        context = childContext;
        if (failure != null) {
            context.fail(failure);
            return;
        }
        apply();
    }

    /** Called by the child's shutdown. */
    synchronized void detach(BackendContext childContext) {
        if (context == childContext) {
            context = null;
        }
    }

    /** Copies a fresh remote entry (which is {@code running}) onto the child and shows it running. */
    synchronized void update(RemoteBackend entry, String address) {
        latest = entry;
        status = BackendStatus.RUNNING;
        message = runningMessage(address);
        apply();
    }

    /** Shows the child idle (the remote is unreachable and idling is allowed); keeps the last known entry. */
    synchronized void idle(String reason) {
        status = BackendStatus.IDLE;
        message = reason;
        apply();
    }

    /**
     * Marks the child errored with a reason (also a child whose init has not run yet); the host then shuts
     * the child instance down. The control replaces it with a fresh child once the remote answers again.
     */
    synchronized void fail(String reason) {
        failure = reason;
        if (context != null) {
            context.fail(reason);
        }
    }

    private String runningMessage(String address) {
        return "Mirrors backend " + remoteId + " of the Swarm server at " + address + ".";
    }

    private void apply() {
        if (context == null) {
            return;
        }
        context.setFeatures(latest.features());
        context.setMaxUsages(latest.maxUsages());
        context.setCanLoadModels(latest.canLoadModels());
        context.setCurrentModel(latest.currentModel());
        context.setStatus(status, message);
    }
}
