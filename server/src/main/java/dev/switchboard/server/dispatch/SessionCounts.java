package dev.switchboard.server.dispatch;

/**
 * One session's jobs now.
 *
 * @param queued waiting for a backend
 * @param running running on a backend
 */
public record SessionCounts(int queued, int running) {
    static final SessionCounts NONE = new SessionCounts(0, 0);
}
