package dev.switchboard.server.backends;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;

/**
 * Counts changes to what backend snapshots show (status, settings, title, features, use, the set of backends),
 * so a rendered list can be reused until the count moves. Writers count a change after making it visible and
 * before acknowledging it; readers read the count before taking snapshots. A list taken after reading a value
 * therefore shows every change counted up to that value (and perhaps newer ones not yet counted), so an answer
 * kept for a value is right for any request that reads the same value: every change acknowledged before that
 * request was counted by then. Each change names the backend it changed, for watchers that keep a view of
 * their own up to date one backend at a time (the dispatcher's index).
 */
final class ViewVersion {
    private final AtomicLong count = new AtomicLong();
    private final List<IntConsumer> watchers = new CopyOnWriteArrayList<>();

    /** Counts a change to the snapshot of backend {@code id}, made visible before this call. */
    void changed(int id) {
        count.incrementAndGet();
        for (IntConsumer watcher : watchers) {
            watcher.accept(id);
        }
    }

    void watch(IntConsumer watcher) {
        watchers.add(watcher);
    }

    void unwatch(IntConsumer watcher) {
        watchers.remove(watcher);
    }

    long current() {
        return count.get();
    }
}
