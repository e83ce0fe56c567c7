package dev.switchboard.server.backends;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * The jobs one backend is running: how many of its slots are taken, when it was last used, and who to tell when
 * the backend stops under them. Owned by its {@link BackendRecord}, which decides under its own monitor whether a
 * slot may be taken; this object has a monitor of its own (taken after the record's, never before), so a job
 * gives its slot back without the record's lock.
 */
final class JobSlots {
    private final ViewVersion viewVersion;
    /** The owning backend's id now (it changes when the backend is re-keyed). */
    private final IntSupplier owner;
    /** The parent's slots for a non-real child: using a child counts as using its parent, as in SwarmUI. */
    private final JobSlots parent;
    private int taken;
    private long lastUsedNanos;
    private final Set<Consumer<String>> watchers = new LinkedHashSet<>();

    JobSlots(ViewVersion viewVersion, IntSupplier owner, JobSlots parent) {
        this.viewVersion = viewVersion;
        this.owner = owner;
        this.parent = parent;
    }

    /** Takes a slot if fewer than {@code max} are taken. */
    synchronized boolean tryTake(int max, long nowNanos) {
        if (taken >= max) {
            return false;
        }
        taken++;
        markUsed(nowNanos);
        return true;
    }

    /** Gives a slot back, and wakes a stop waiting for the jobs to end. */
    synchronized void release(long nowNanos) {
        taken--;
        markUsed(nowNanos);
        notifyAll();
    }

    synchronized int taken() {
        return taken;
    }

    /** Milliseconds since the last take or release at {@code nowNanos}, or -1 when never used. */
    synchronized long usedAgoMillis(long nowNanos) {
        return lastUsedNanos == 0 ? -1 : Math.max(0, (nowNanos - lastUsedNanos) / 1_000_000);
    }

    synchronized void watch(Consumer<String> onStop) {
        watchers.add(onStop);
    }

    synchronized void unwatch(Consumer<String> onStop) {
        watchers.remove(onStop);
    }

    /** The watchers of the jobs running now, forgotten here: the stop tells them. */
    synchronized List<Consumer<String>> takeWatchers() {
        List<Consumer<String>> all = List.copyOf(watchers);
        watchers.clear();
        return all;
    }

    /**
     * Waits until no job holds a slot, at most {@code timeoutNanos}.
     *
     * @return the number of jobs still running when it gave up, 0 when none is left
     */
    synchronized int awaitNone(long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        while (taken > 0) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return taken;
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, remaining);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return taken;
            }
        }
        return 0;
    }

    private void markUsed(long nowNanos) {
        lastUsedNanos = nowNanos == 0 ? 1 : nowNanos;
        if (parent != null) {
            parent.touch(lastUsedNanos);
        }
        viewVersion.changed(owner.getAsInt());
    }

    private synchronized void touch(long nanos) {
        lastUsedNanos = nanos;
    }
}
