package dev.switchboard.api;

import java.util.Locale;

/**
 * The status of one backend, as shown to API clients (serialized lower-case, e.g. {@code "running"}).
 *
 * <pre>
 *   (add, load, edit, restart, enable)
 *          |
 *          v
 *       WAITING --(plugin starts real work)--> LOADING
 *          |                                      |
 *          +--------------------------------------+
 *          |            init returns              |  init throws / times out (after retries)
 *          v                                      v
 *   RUNNING / IDLE / DISABLED                  ERRORED
 *
 *   IDLE &lt;--&gt; RUNNING     (a backend that may idle reports reachability changes itself)
 *   any   --(shutdown, toggle off)--&gt; DISABLED
 * </pre>
 *
 * <p>The host sets {@link #WAITING}, {@link #DISABLED} and {@link #ERRORED}; a backend may set
 * {@link #LOADING}, {@link #RUNNING}, {@link #IDLE} and {@link #DISABLED} through
 * {@link BackendContext#setStatus}. When {@link Backend#init()} returns normally while the status is still
 * {@code WAITING} or {@code LOADING}, the host makes it {@code RUNNING}. Only {@code RUNNING} backends
 * receive work.
 *
 * @since 1.0
 */
public enum BackendStatus {
    /** Switched off by an operator, or not configured enough to start (e.g. an empty address). */
    DISABLED,
    /** Failed; the status message says why. Stays so until the backend is edited, restarted or toggled. */
    ERRORED,
    /** Queued for initialisation, or waiting before the next attempt. */
    WAITING,
    /** Initialisation is doing real work (connecting, launching a process, loading lists). */
    LOADING,
    /** Configured and allowed to idle, but the engine is currently unreachable. */
    IDLE,
    /** Ready for work. */
    RUNNING;

    /**
     * Tells whether a backend may set this status itself through {@link BackendContext#setStatus}. The host
     * alone sets {@link #WAITING} (it queues inits) and {@link #ERRORED} (a backend reports failure by throwing
     * from {@link Backend#init()} or calling {@link BackendContext#fail}); hosts refuse the others with an
     * {@link IllegalArgumentException}.
     *
     * @return false for {@code WAITING} and {@code ERRORED}, true otherwise
     * @since 1.0
     */
    public boolean settableByBackend() {
        return this != WAITING && this != ERRORED;
    }

    /**
     * Returns the name used on the wire.
     *
     * @return the lower-case name, e.g. {@code "running"}
     */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
