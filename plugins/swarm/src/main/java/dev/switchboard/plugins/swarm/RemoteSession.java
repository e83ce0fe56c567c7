package dev.switchboard.plugins.swarm;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.switchboard.plugins.support.BoundedBodyHandler;
import java.time.Duration;

/**
 * A session on the remote Swarm server. Opens it with
 * {@code GetNewSession} (refusing a remote that turns out to be this server), injects it into every call,
 * and when the remote has forgotten it ({@code invalid_session_id}, e.g. after a restart) opens a new one
 * and retries the call exactly once. Thread-safe. The control backend has one; each generation of a child holds
 * one of its own while it runs (see {@link SessionPool}), so interrupting it on the remote stops nothing else.
 */
final class RemoteSession {
    private final SwarmHttp http;
    private final String ownServerId;

    // Written under this; read without the lock by callIfOpen, which must not wait for a connect in progress.
    private volatile String sessionId;
    // Guarded by this.
    private String remoteServerId;
    private int renewals;

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
        renewals++;
    }

    /** @return how many sessions were opened so far; a change means the remote may have restarted */
    synchronized int renewals() {
        return renewals;
    }

    /**
     * Returns the session, opening one first if needed (for a WebSocket request, which carries it in its body).
     *
     * @return the session id
     */
    String id() throws RemoteSwarmException, InterruptedException {
        return currentSession();
    }

    SwarmHttp http() {
        return http;
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
        return call(route, params, (r, body) -> http.post(r, body));
    }

    /** Calls a route like {@link #call(String, JsonObject)}, with a deadline and answer bound of its own. */
    JsonObject call(String route, JsonObject params, Duration deadline,
                    BoundedBodyHandler answers)
            throws RemoteSwarmException, InterruptedException {
        return call(route, params, (r, body) -> http.post(r, body, deadline, answers));
    }

    /**
     * Posts a route with the session injected and ignores the answer, as SwarmUI's master does with InterruptAll;
     * does nothing while no session is open (the remote then has nothing of ours to act on). Never blocks.
     */
    void callIfOpen(String route, JsonObject params) {
        String open = sessionId;
        if (open != null) {
            http.postAndForget(route, withSession(params, open));
        }
    }

    private JsonObject call(String route, JsonObject params, Post post)
            throws RemoteSwarmException, InterruptedException {
        try {
            return post.send(route, withSession(params, currentSession()));
        } catch (RemoteSwarmException e) {
            if (e.kind() != RemoteSwarmException.Kind.INVALID_SESSION) {
                throw e;
            }
        }
        connect();
        try {
            return post.send(route, withSession(params, currentSession()));
        } catch (RemoteSwarmException e) {
            if (e.kind() == RemoteSwarmException.Kind.INVALID_SESSION) {
                throw refusedNewSession(e);
            }
            throw e;
        }
    }

    /** The failure when the remote refuses a session it has just made: retrying for ever would not help. */
    RemoteSwarmException refusedNewSession(Throwable cause) {
        return new RemoteSwarmException(RemoteSwarmException.Kind.REMOTE_ERROR, "Remote Swarm server at "
                + http.address() + " refused a session it had just created.", cause);
    }

    /** One POST of a body that already holds the session. */
    @FunctionalInterface
    private interface Post {
        JsonObject send(String route, JsonObject body) throws RemoteSwarmException, InterruptedException;
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
