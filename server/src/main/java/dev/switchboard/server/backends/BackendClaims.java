package dev.switchboard.server.backends;

import java.util.List;
import java.util.Optional;
import java.util.function.IntConsumer;

/**
 * The port through which a dispatcher sees backends and takes their job slots: it reads snapshots, names a
 * backend by id and gets a claim or nothing, never the backend's record. A claim holds one of the backend's {@code max_usages} slots until it is
 * closed; a stop of the backend waits for its claims, up to its drain deadline.
 */
public interface BackendClaims {
    /**
     * Returns every backend (non-real children included) as it is now, in ascending id order: what a dispatcher
     * matches jobs against.
     *
     * @return the snapshots
     */
    List<BackendSnapshot> snapshots();

    /**
     * Counts every change to what {@link #snapshots()} shows (a job slot taken or given back, a status change,
     * a new model list): a dispatcher that saw no change need not look again.
     *
     * @return the change count
     */
    long viewVersion();

    /**
     * Returns one backend as it is now.
     *
     * @param backendId the backend
     * @return its snapshot, or empty when no backend has that id
     */
    Optional<BackendSnapshot> snapshot(int backendId);

    /**
     * Tells {@code changed} the id of each backend whose snapshot changes (or that comes or goes), after the
     * change is visible to {@link #snapshot}, so a watcher keeps its own view current by looking again at the
     * backends named: a view updated from a snapshot taken after the id was told shows the change. It runs on
     * the changing thread, possibly under the backend's lock: it must only note the id and return.
     *
     * @param changed the watcher
     */
    void watch(IntConsumer changed);

    /** Stops telling {@code changed}. */
    void unwatch(IntConsumer changed);

    /**
     * Takes one job slot of a backend that is running, enabled, not being stopped and below its
     * {@code max_usages}.
     *
     * @param backendId the backend
     * @return the claim, or empty when the backend does not exist or cannot take work now
     */
    Optional<BackendClaim> tryClaim(int backendId);
}
