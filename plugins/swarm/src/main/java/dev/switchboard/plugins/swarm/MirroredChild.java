package dev.switchboard.plugins.swarm;

import static java.util.Objects.requireNonNull;

import dev.switchboard.api.BackendContext;
import dev.switchboard.api.BackendStatus;
import dev.switchboard.api.generation.ModelType;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The link between one remote backend and the non-real child that mirrors it here. The control backend
 * feeds it the remote's latest entry, model lists, node types and reachability; the child's current instance
 * attaches its context, and everything known is copied onto that context (now, and at every later update).
 * Thread-safe.
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
    private Map<ModelType, List<String>> models;
    private Set<String> nodeTypes;

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

    /**
     * Gives the child the remote's model lists (one list per kind, shared by all children of a control, as on a
     * SwarmUI master); kinds the remote could not list are left out, so the host does not filter by them.
     */
    synchronized void models(Map<ModelType, List<String>> lists) {
        models = Map.copyOf(lists);
        apply();
    }

    /** Gives the child the node types of its remote ComfyUI backend, for raw workflows. */
    synchronized void nodeTypes(Set<String> types) {
        nodeTypes = Set.copyOf(types);
        apply();
    }

    /** @return the remote backend's type, e.g. {@code comfyui_api} */
    synchronized String remoteType() {
        return latest.type();
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
        if (models != null) {
            context.setModels(models);
        }
        if (nodeTypes != null) {
            context.setNodeTypes(nodeTypes);
        }
        context.setStatus(status, message);
    }
}
