package dev.switchboard.plugins.swarm;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.switchboard.api.Backend;
import dev.switchboard.api.BackendContext;

/**
 * A non-real child of a Swarm control backend: mirrors one remote backend (status, features, concurrency,
 * current model, all fed by the control's re-syncs) and forwards work for it to the remote server through
 * the control's session.
 */
final class SwarmChildBackend implements Backend {
    private final BackendContext context;
    private final MirroredChild mirror;
    private final RemoteSession session;

    SwarmChildBackend(BackendContext context, MirroredChild mirror, RemoteSession session) {
        this.context = requireNonNull(context, "context is null");
        this.mirror = requireNonNull(mirror, "mirror is null");
        this.session = requireNonNull(session, "session is null");
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
        JsonElement result = session.call("FreeBackendMemory", params).get("result");
        return result != null && result.isJsonPrimitive() && result.getAsJsonPrimitive().isBoolean()
                && result.getAsBoolean();
    }
}
