package dev.switchboard.server.backends;

import java.util.List;
import java.util.Optional;

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
     * Takes one job slot of a backend that is running, enabled, not being stopped and below its
     * {@code max_usages}.
     *
     * @param backendId the backend
     * @return the claim, or empty when the backend does not exist or cannot take work now
     */
    Optional<BackendClaim> tryClaim(int backendId);
}
