package dev.switchboard.plugins.swarm;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * A session on the remote Swarm server, shared by a control backend and its children. Opens it with
 * {@code GetNewSession} (refusing a remote that turns out to be this server), injects it into every call,
 * and when the remote has forgotten it ({@code invalid_session_id}, e.g. after a restart) opens a new one
 * and retries the call exactly once. Thread-safe.
 */
final class RemoteSession {
    private final SwarmHttp http;
    private final String ownServerId;

    // Guarded by this.
    private String sessionId;
    private String remoteServerId;

    RemoteSession(SwarmHttp http, String ownServerId) {
        this.http = requireNonNull(http, "http is null");
        this.ownServerId = requireNonNull(ownServerId, "ownServerId is null");
    }

    String address() {
        return http.address();
    }

    /** Opens a new session, replacing the current one. */
    synchronized void connect() throws RemoteSwarmException, InterruptedException {
        sessionId = null;
        JsonObject answer = http.post("GetNewSession", new JsonObject());
        String serverId = text(answer.get("server_id"));
        if (serverId != null && serverId.equals(ownServerId)) {
            throw new RemoteSwarmException(RemoteSwarmException.Kind.SELF, "The address " + http.address()
                    + " leads back to this server itself; a Swarm backend must point at another server.", null);
        }
        String session = text(answer.get("session_id"));
        if (session == null || session.isEmpty()) {
            throw new RemoteSwarmException(RemoteSwarmException.Kind.BAD_ANSWER, "Remote Swarm server at "
                    + http.address() + " answered GetNewSession without a session_id. Is it a Swarm server?", null);
        }
        sessionId = session;
        remoteServerId = serverId;
    }

    /** @return the remote's {@code server_id} at the last connect; null before or when it sent none */
    synchronized String remoteServerId() {
        return remoteServerId;
    }

    /**
     * Calls a route with the session injected (opening one first if needed).
     *
     * @param params the route's parameters; not modified
     */
    JsonObject call(String route, JsonObject params) throws RemoteSwarmException, InterruptedException {
        try {
            return http.post(route, withSession(params, currentSession()));
        } catch (RemoteSwarmException e) {
            if (e.kind() != RemoteSwarmException.Kind.INVALID_SESSION) {
                throw e;
            }
        }
        connect();
        try {
            return http.post(route, withSession(params, currentSession()));
        } catch (RemoteSwarmException e) {
            if (e.kind() == RemoteSwarmException.Kind.INVALID_SESSION) {
                throw new RemoteSwarmException(RemoteSwarmException.Kind.REMOTE_ERROR, "Remote Swarm server at "
                        + http.address() + " refused a session it had just created.", e);
            }
            throw e;
        }
    }

    private synchronized String currentSession() throws RemoteSwarmException, InterruptedException {
        if (sessionId == null) {
            connect();
        }
        return sessionId;
    }

    private static JsonObject withSession(JsonObject params, String session) {
        JsonObject body = params.deepCopy();
        body.addProperty("session_id", session);
        return body;
    }

    private static String text(JsonElement element) {
        return element != null && element.isJsonPrimitive() ? element.getAsString() : null;
    }
}
