package dev.switchboard.server.backends;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts changes to what backend snapshots show (status, settings, title, features, use, the set of backends),
 * so a rendered list can be reused until the count moves. Writers count a change after making it visible and
 * before acknowledging it; readers read the count before taking snapshots. A list taken after reading a value
 * therefore shows every change counted up to that value (and perhaps newer ones not yet counted), so an answer
 * kept for a value is right for any request that reads the same value: every change acknowledged before that
 * request was counted by then.
 */
final class ViewVersion {
    private final AtomicLong count = new AtomicLong();

    void changed() {
        count.incrementAndGet();
    }

    long current() {
        return count.get();
    }
}
