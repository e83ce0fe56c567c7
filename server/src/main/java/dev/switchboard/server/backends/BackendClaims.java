package dev.switchboard.server.backends;

import java.util.Optional;

/**
 * The port through which a dispatcher takes job slots of backends: it names a backend by id and gets a claim or
 * nothing, never the backend's record. A claim holds one of the backend's {@code max_usages} slots until it is
 * closed; a stop of the backend waits for its claims, up to its drain deadline.
 */
public interface BackendClaims {
    /**
     * Takes one job slot of a backend that is running, enabled, not being stopped and below its
     * {@code max_usages}.
     *
     * @param backendId the backend
     * @return the claim, or empty when the backend does not exist or cannot take work now
     */
    Optional<BackendClaim> tryClaim(int backendId);
}
