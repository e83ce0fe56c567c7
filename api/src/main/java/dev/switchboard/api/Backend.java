package dev.switchboard.api;

/**
 * One running incarnation of a configured backend, created by {@link BackendType#create(BackendContext)}.
 *
 * <p>Lifecycle: the host creates a fresh instance for every initialisation attempt (after an add, a
 * load at start-up, an edit, a restart, an enable or a retry), calls {@link #init()} once, and later
 * {@link #shutdown()} once. An instance is never initialised twice. Everything a backend advertises
 * (status, features, concurrency, current model) is reported through its {@link BackendContext}; the
 * host never calls into plugin code to render a backend list.
 *
 * <p>Threads: every method is called on a host-owned worker thread (never an HTTP I/O thread), with the
 * plugin's class loader as the thread context class loader, and under a deadline. A call that overruns
 * its deadline is interrupted and abandoned, and the backend becomes {@link BackendStatus#ERRORED}.
 *
 * @since 1.0
 */
public interface Backend {

    /**
     * Brings the backend up. Blocks until it is usable, or until it has decided it cannot be (in which
     * case it either throws, or sets {@link BackendStatus#DISABLED} or {@link BackendStatus#IDLE} through
     * {@link BackendContext#setStatus} and returns).
     *
     * <p>When it returns normally while the status is still {@code WAITING} or {@code LOADING}, the host
     * sets {@code RUNNING}. When it throws, the host retries with backoff a few times, then marks the
     * backend {@code ERRORED} with the exception's message as the reason, so the message should tell an
     * operator what to fix (e.g. "Could not connect to http://host:8188: connection refused").
     *
     * <p>{@link #shutdown()} may be called from another thread while this method is still running
     * (an operator edited or deleted the backend); this method must then return or throw promptly. The
     * init thread is also interrupted.
     *
     * @throws Exception when the backend cannot start; the message is shown to operators
     */
    void init() throws Exception;

    /**
     * Releases everything the backend holds: connections, monitors, processes. Must be idempotent and
     * safe to call when {@link #init()} failed, never ran, or is still running. After it returns the
     * host sets the status to {@link BackendStatus#DISABLED} (or keeps {@code ERRORED}).
     *
     * @throws Exception on failure; the host logs it and carries on
     */
    void shutdown() throws Exception;

    /**
     * Asks the engine to free GPU memory, and system RAM too when {@code systemRam} is true. Only called
     * while the backend is {@link BackendStatus#RUNNING}.
     *
     * @param systemRam whether system RAM should be freed as well as VRAM
     * @return true when memory was freed, false when this backend does not support freeing
     * @throws Exception when the engine refused or could not be reached
     */
    default boolean freeMemory(boolean systemRam) throws Exception {
        return false;
    }
}
