package dev.switchboard.server.accounts;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Limits failed logins per user name and per address: after {@link #PER_USER} failures for one name, or
 * {@link #PER_ADDRESS} from one address, within {@link #WINDOW}, further attempts are refused until the oldest
 * failure leaves the window. A success clears the name's failures. Bounded: at most {@link #MAX_TRACKED} keys
 * are remembered (the oldest dropped), so a flood of made-up names cannot grow it. Thread-safe.
 */
public final class LoginThrottle {
    static final int PER_USER = 5;
    static final int PER_ADDRESS = 20;
    static final Duration WINDOW = Duration.ofMinutes(15);
    static final int MAX_TRACKED = 10_000;

    private final Clock clock;
    private final Map<String, Deque<Instant>> failures = new LinkedHashMapBounded();

    public LoginThrottle(Clock clock) {
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** @return whether an attempt for this name from this address may be checked now */
    public synchronized boolean allows(String user, String address) {
        Instant now = clock.instant();
        return recent(userKey(user), now) < PER_USER && recent(addressKey(address), now) < PER_ADDRESS;
    }

    /** Counts a failed attempt. */
    public synchronized void failed(String user, String address) {
        Instant now = clock.instant();
        failures.computeIfAbsent(userKey(user), key -> new ArrayDeque<>()).addLast(now);
        failures.computeIfAbsent(addressKey(address), key -> new ArrayDeque<>()).addLast(now);
    }

    /** Clears the name's failures after a successful login (the address keeps its count). */
    public synchronized void succeeded(String user) {
        failures.remove(userKey(user));
    }

    private int recent(String key, Instant now) {
        Deque<Instant> times = failures.get(key);
        if (times == null) {
            return 0;
        }
        Instant start = now.minus(WINDOW);
        for (Iterator<Instant> it = times.iterator(); it.hasNext(); ) {
            if (it.next().isAfter(start)) {
                break;
            }
            it.remove();
        }
        if (times.isEmpty()) {
            failures.remove(key);
            return 0;
        }
        return times.size();
    }

    private static String userKey(String user) {
        return "u:" + user;
    }

    private static String addressKey(String address) {
        return "a:" + address;
    }

    /** Insertion-ordered, dropping the oldest key beyond {@link #MAX_TRACKED}. */
    private static final class LinkedHashMapBounded extends LinkedHashMap<String, Deque<Instant>> {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Deque<Instant>> eldest) {
            return size() > MAX_TRACKED;
        }
    }
}
