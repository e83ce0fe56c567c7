package dev.switchboard.server.dispatch;

import java.time.Duration;

/**
 * The dispatcher's limits.
 *
 * @param maxQueuedPerSession the most jobs one session may have waiting
 * @param maxQueuedTotal the most jobs waiting in all
 * @param queueTimeout how long a job may wait for a backend (SwarmUI's PerRequestTimeoutMinutes)
 * @param jobTimeout how long a job may run on a backend
 */
public record DispatchOptions(int maxQueuedPerSession, int maxQueuedTotal, Duration queueTimeout, Duration jobTimeout) {
    /** SwarmUI's per-request timeout: one week. */
    public static final Duration DEFAULT_QUEUE_TIMEOUT = Duration.ofMinutes(10080);
    /** A run on a backend that takes longer is stopped (SwarmUI's MaxTimeoutMinutes). */
    public static final Duration DEFAULT_JOB_TIMEOUT = Duration.ofMinutes(120);

    public DispatchOptions {
        if (maxQueuedPerSession < 1 || maxQueuedTotal < 1) {
            throw new IllegalArgumentException("queue bounds must be positive");
        }
    }

    /** The defaults: 10,000 waiting jobs per session, 100,000 in all, and the timeouts above. */
    public static DispatchOptions defaults() {
        return new DispatchOptions(10_000, 100_000, DEFAULT_QUEUE_TIMEOUT, DEFAULT_JOB_TIMEOUT);
    }
}
