package dev.switchboard.server.backends;

/**
 * Told about every initialisation attempt of a backend (first tries and retries alike): a port for metrics, so the
 * backends know no metrics library. Called on lifecycle threads; it must be quick and not throw.
 */
public interface InitListener {
    /** Listens to nothing. */
    InitListener NONE = new InitListener() {
    };

    /**
     * An attempt begins: a new instance is created, then its {@code init()} runs.
     *
     * @param typeId the backend's type (non-real children: their parent's)
     */
    default void attempted(String typeId) {
    }

    /**
     * An attempt failed: creating the instance or its {@code init()} threw or overran its deadline. A retry, if
     * any, is a new attempt.
     *
     * @param typeId the backend's type
     * @param timedOut whether it overran its deadline
     */
    default void failed(String typeId, boolean timedOut) {
    }
}
