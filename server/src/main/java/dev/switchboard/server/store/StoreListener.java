package dev.switchboard.server.store;

/**
 * Told about every write of {@code backends.json}: a port for metrics, so the store knows no metrics library.
 * Called on the thread that wrote, after the write; it must be quick and not throw.
 */
public interface StoreListener {
    /** Listens to nothing. */
    StoreListener NONE = new StoreListener() {
    };

    /**
     * A write (one group commit) that is now the file's content.
     *
     * @param changes how many callers' changes it carried
     * @param fsyncNanos how long forcing the new file and its directory to disk took
     */
    default void written(int changes, long fsyncNanos) {
    }

    /**
     * A write that failed; the file holds its previous version.
     *
     * @param changes how many callers' changes it carried (all of them failed)
     */
    default void writeFailed(int changes) {
    }
}
