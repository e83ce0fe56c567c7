package dev.switchboard.server.backends;

/**
 * One unit of work held on a running backend (a generation job, a model load). While claims are held, a
 * shutdown of the backend (edit, restart, delete, toggle off, server stop) waits for them, up to its drain
 * deadline. Closing the claim releases it; closing twice is harmless.
 */
public final class BackendClaim implements AutoCloseable {
    private final BackendRecord record;
    private boolean released;

    BackendClaim(BackendRecord record) {
        this.record = record;
    }

    /** @return the id of the claimed backend at the time of the call */
    public int backendId() {
        return record.id();
    }

    @Override
    public void close() {
        synchronized (this) {
            if (released) {
                return;
            }
            released = true;
        }
        record.release(System.nanoTime());
    }
}
