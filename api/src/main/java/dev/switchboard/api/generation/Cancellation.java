package dev.switchboard.api.generation;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Tells a running job that it should stop, and runs what the generator registered to stop its engine's work.
 * The host creates one per job and cancels it; generators read it and register listeners. Thread-safe.
 *
 * @since 1.0
 */
public final class Cancellation {
    private final List<Runnable> listeners = new ArrayList<>();
    private String reason;

    /**
     * Creates a cancellation that has not fired.
     *
     * @return a new cancellation
     */
    public static Cancellation create() {
        return new Cancellation();
    }

    private Cancellation() {
    }

    /**
     * Tells whether the job was cancelled.
     *
     * @return true once {@link #cancel} was called
     */
    public synchronized boolean isCancelled() {
        return reason != null;
    }

    /**
     * Returns why the job was cancelled.
     *
     * @return the reason given to {@link #cancel}, or null while not cancelled
     */
    public synchronized String reason() {
        return reason;
    }

    /**
     * Runs {@code listener} when the job is cancelled, on the cancelling thread; at once (on this thread) when it
     * already was. A listener should be quick (send the engine an interrupt, close a socket) and not throw;
     * what it throws is ignored.
     *
     * @param listener what stops the engine's work
     */
    public void onCancel(Runnable listener) {
        Objects.requireNonNull(listener, "listener is null");
        synchronized (this) {
            if (reason == null) {
                listeners.add(listener);
                return;
            }
        }
        runQuietly(listener);
    }

    /**
     * Cancels the job: remembers the reason and runs every registered listener once. Later calls do nothing.
     * Called by the host.
     *
     * @param why why the job stops, e.g. {@code Generation session interrupted.}
     */
    public void cancel(String why) {
        Objects.requireNonNull(why, "why is null");
        List<Runnable> toRun;
        synchronized (this) {
            if (reason != null) {
                return;
            }
            reason = why;
            toRun = List.copyOf(listeners);
            listeners.clear();
        }
        toRun.forEach(Cancellation::runQuietly);
    }

    private static void runQuietly(Runnable listener) {
        try {
            listener.run();
        } catch (RuntimeException ignored) {
            // A listener's failure must not stop the others; the generator sees the cancellation anyway.
        }
    }
}
