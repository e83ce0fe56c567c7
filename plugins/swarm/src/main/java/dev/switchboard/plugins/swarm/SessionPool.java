package dev.switchboard.plugins.swarm;

import static java.util.Objects.requireNonNull;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The remote sessions of one child backend. SwarmUI's master gives each child one session and interrupts with
 * {@code InterruptAll} on it, which stops every job of that session on the remote; here each job running at once
 * holds a session of its own (taken from the pool, made when none is free, given back afterwards), so interrupting
 * one job leaves the child's other jobs running. Sessions are opened lazily, on their first call. Thread-safe.
 */
final class SessionPool {
    private final SwarmHttp http;
    private final String ownServerId;
    // Guarded by this.
    private final Deque<RemoteSession> idle = new ArrayDeque<>();

    SessionPool(SwarmHttp http, String ownServerId) {
        this.http = requireNonNull(http, "http is null");
        this.ownServerId = requireNonNull(ownServerId, "ownServerId is null");
    }

    /** @return a session no running job holds; give it back with {@link #give} */
    synchronized RemoteSession take() {
        RemoteSession session = idle.pollFirst();
        return session != null ? session : new RemoteSession(http, ownServerId);
    }

    /** Puts a session back for the next job. */
    synchronized void give(RemoteSession session) {
        idle.addFirst(requireNonNull(session, "session is null"));
    }
}
