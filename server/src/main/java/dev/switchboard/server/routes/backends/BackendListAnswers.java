package dev.switchboard.server.routes.backends;

import dev.switchboard.server.backends.BackendRegistry;
import dev.switchboard.server.backends.BackendSnapshot;
import dev.switchboard.server.http.JsonText;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.LongSupplier;

/**
 * ListBackends' whole answer, kept for as long as it stays right: until anything it shows changes (the
 * service's {@linkplain BackendRegistry#viewVersion() view version} moves) or the clock changes the text of a
 * used backend's time since use (the next whole second of any of them). Clients that poll the list, which is
 * most of them, then get the same immutable bytes without the backends being visited at all. Thread-safe.
 */
final class BackendListAnswers {
    /** Even a list no clock can change is rendered afresh this often, so no reading is trusted for long. */
    private static final long MAX_KEEP_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final BackendRegistry backends;
    private final LongSupplier nanoClock;
    private final BackendListText text = new BackendListText();
    /** One slot per (nonreal, full_data) combination. */
    private final AtomicReferenceArray<Kept> kept = new AtomicReferenceArray<>(4);

    BackendListAnswers(BackendRegistry backends) {
        this(backends, System::nanoTime);
    }

    /** @param nanoClock the {@link System#nanoTime()} the times since use are measured with (tests set it) */
    BackendListAnswers(BackendRegistry backends, LongSupplier nanoClock) {
        this.backends = backends;
        this.nanoClock = nanoClock;
    }

    JsonText answer(boolean nonReal, boolean fullData) {
        int slot = (nonReal ? 1 : 0) + (fullData ? 2 : 0);
        long now = nanoClock.getAsLong();
        // Read before the snapshots are taken: a change counted later makes this answer stale at once.
        long version = backends.viewVersion();
        Kept current = kept.get(slot);
        if (current != null && current.version() == version && now - current.validUntilNanos() < 0) {
            return current.text();
        }
        List<BackendSnapshot> list = backends.list(nonReal, now);
        JsonText answer = text.write(list, fullData);
        kept.set(slot, new Kept(version, now + nanosUntilTheClockChangesIt(list), answer));
        return answer;
    }

    /**
     * How long the time-since-use text of every listed backend stays as written: a backend used {@code a}
     * milliseconds ago (rounded down) shows {@code a / 1000} seconds until at least
     * {@code (a / 1000 + 1) * 1000 - (a + 1)} more milliseconds have passed.
     */
    private static long nanosUntilTheClockChangesIt(List<BackendSnapshot> list) {
        long nanos = MAX_KEEP_NANOS;
        for (BackendSnapshot backend : list) {
            long ago = backend.usedAgoMillis();
            if (ago >= 0) {
                long millis = (ago / 1000 + 1) * 1000 - (ago + 1);
                nanos = Math.min(nanos, TimeUnit.MILLISECONDS.toNanos(millis));
            }
        }
        return nanos;
    }

    private record Kept(long version, long validUntilNanos, JsonText text) {
    }
}
