package dev.switchboard.plugins.swarm;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.switchboard.api.Backend;
import dev.switchboard.api.BackendContext;
import dev.switchboard.api.generation.GenerationJob;
import dev.switchboard.api.generation.GenerationOutput;
import dev.switchboard.api.generation.ImageGenerator;

/**
 * A non-real child of a Swarm control backend: mirrors one remote backend (status, features, concurrency, current
 * model, the remote's model lists and node types, all fed by the control's re-syncs) and forwards work for it to
 * the remote server as a SwarmUI master's child does: generations pinned to the linked remote backend, each with a
 * session of its own from the child's pool, model loads, freeing memory.
 */
final class SwarmChildBackend implements Backend, ImageGenerator {
    private final BackendContext context;
    private final MirroredChild mirror;
    private final SessionPool sessions;
    private final boolean websocket;
    private final ModelRefresh refresh;

    /** Reads the remote's lists again for every child of the control (TriggerRefresh). */
    @FunctionalInterface
    interface ModelRefresh {
        void run() throws Exception;
    }

    SwarmChildBackend(BackendContext context, MirroredChild mirror, SessionPool sessions, boolean websocket,
                      ModelRefresh refresh) {
        this.context = requireNonNull(context, "context is null");
        this.mirror = requireNonNull(mirror, "mirror is null");
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.websocket = websocket;
        this.refresh = requireNonNull(refresh, "refresh is null");
    }

    @Override
    public void init() {
        // The control already holds a session and the remote's entry; there is nothing to wait for.
        mirror.attach(context);
    }

    @Override
    public void shutdown() {
        mirror.detach(context);
    }

    /** Runs the job on the remote, pinned to the linked backend, with a session no other running job holds. */
    @Override
    public void generate(GenerationJob job, GenerationOutput output) throws Exception {
        RemoteSession session = sessions.take();
        try {
            new RemoteJob(session, mirror.remoteId(), websocket).run(job, output);
        } finally {
            sessions.give(session);
        }
    }

    /**
     * Forwards to the remote: {@code SelectModel {model, backendId:<remote id>}} (the name as listed, the id as a
     * JSON integer, as a master sends them).
     *
     * @return whether the remote answered {@code success: true}; false when it refused
     * @throws RemoteSwarmException when the remote could not be reached
     */
    @Override
    public boolean loadModel(String model) throws RemoteSwarmException, InterruptedException {
        JsonObject params = new JsonObject();
        params.addProperty("model", model);
        params.addProperty("backendId", mirror.remoteId());
        RemoteSession session = sessions.take();
        try {
            JsonElement success = session.call("SelectModel", params).get("success");
            return success != null && success.isJsonPrimitive() && success.getAsJsonPrimitive().isBoolean()
                    && success.getAsBoolean();
        } catch (RemoteSwarmException e) {
            if (e.kind() != RemoteSwarmException.Kind.REMOTE_ERROR) {
                throw e;
            }
            context.logger().info("The Swarm server at {} did not load {}: {}", session.address(), model,
                    e.getMessage());
            return false;
        } finally {
            sessions.give(session);
        }
    }

    /** Has the control read the remote's model lists (and node types) again; one read serves all its children. */
    @Override
    public void refreshModels() throws Exception {
        refresh.run();
    }

    /**
     * Forwards to the remote: {@code FreeBackendMemory {system_ram, backend:"<remote id>"}}.
     *
     * @return the remote's {@code result}
     * @throws RemoteSwarmException when the remote refused or could not be reached
     */
    @Override
    public boolean freeMemory(boolean systemRam) throws RemoteSwarmException, InterruptedException {
        JsonObject params = new JsonObject();
        params.addProperty("system_ram", systemRam);
        params.addProperty("backend", Integer.toString(mirror.remoteId()));
        RemoteSession session = sessions.take();
        try {
            JsonElement result = session.call("FreeBackendMemory", params).get("result");
            return result != null && result.isJsonPrimitive() && result.getAsJsonPrimitive().isBoolean()
                    && result.getAsBoolean();
        } finally {
            sessions.give(session);
        }
    }
}
