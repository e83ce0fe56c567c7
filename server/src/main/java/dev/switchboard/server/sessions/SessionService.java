package dev.switchboard.server.sessions;

import static java.util.Objects.requireNonNull;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Creates and finds API sessions. Sessions live in memory only, expire after {@link #DEFAULT_EXPIRY} without
 * use, and at most {@link #DEFAULT_CAPACITY} are kept: beyond that the least recently used one is dropped, so
 * a client looping on {@code GetNewSession} cannot exhaust memory. Thread-safe.
 */
@Singleton
public final class SessionService {

    /** How long a session survives without being used (SwarmUI's value). */
    public static final Duration DEFAULT_EXPIRY = Duration.ofDays(31);
    /** How many sessions are kept at most. */
    public static final int DEFAULT_CAPACITY = 10_000;

    private static final int ID_BYTES = 20;
    private static final List<String> SINGLE_USER_PERMISSIONS = List.of(Session.ALL_PERMISSIONS);

    private final LongSupplier nanoClock;
    private final long expiryNanos;
    private final int capacity;
    private final SecureRandom random = new SecureRandom();
    private final Object lock = new Object();
    // Access-ordered, so iteration starts with the least recently used session. Guarded by lock.
    private final LinkedHashMap<String, Entry> sessions;

    @Inject
    public SessionService() {
        this(System::nanoTime, DEFAULT_EXPIRY, DEFAULT_CAPACITY);
    }

    SessionService(LongSupplier nanoClock, Duration expiry, int capacity) {
        this.nanoClock = requireNonNull(nanoClock, "nanoClock is null");
        this.expiryNanos = requireNonNull(expiry, "expiry is null").toNanos();
        if (expiryNanos <= 0) {
            throw new IllegalArgumentException("expiry must be positive: " + expiry);
        }
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.capacity = capacity;
        this.sessions = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > SessionService.this.capacity;
            }
        };
    }

    /**
     * Creates a new session for a user of this single-user server: every user holds every permission
     * ({@code ["*"]}), as SwarmUI's implicit {@code local} owner does.
     *
     * @param userId the user, e.g. {@code local}
     * @return the new session; its id is 40 lowercase hex characters from a secure random source
     */
    public Session create(String userId) {
        return create(userId, SINGLE_USER_PERMISSIONS);
    }

    /**
     * Creates a new session for a user whose permissions the caller knows.
     *
     * @param userId the user
     * @param permissions the permission ids the session holds; {@code *} grants all
     * @return the new session
     */
    public Session create(String userId, List<String> permissions) {
        requireNonNull(userId, "userId is null");
        requireNonNull(permissions, "permissions is null");
        // The random id is drawn outside the lock: the system generator is the slow part of a new session.
        String id = newId();
        while (true) {
            synchronized (lock) {
                if (!sessions.containsKey(id)) {
                    long now = nanoClock.getAsLong();
                    dropExpired(now);
                    Session session = new Session(id, userId, permissions);
                    sessions.put(id, new Entry(session, now));
                    return session;
                }
            }
            id = newId();
        }
    }

    /**
     * Finds a live session and marks it as used now.
     *
     * @param id the session id as the client sent it
     * @return the session, or empty when the id is unknown or expired
     */
    public Optional<Session> find(String id) {
        requireNonNull(id, "id is null");
        synchronized (lock) {
            Entry entry = sessions.get(id);
            if (entry == null) {
                return Optional.empty();
            }
            long now = nanoClock.getAsLong();
            if (isExpired(entry, now)) {
                sessions.remove(id);
                return Optional.empty();
            }
            entry.lastUsedNanos = now;
            return Optional.of(entry.session);
        }
    }

    /** Returns how many sessions are currently kept (expired ones may still be counted until swept). */
    int size() {
        synchronized (lock) {
            return sessions.size();
        }
    }

    private void dropExpired(long now) {
        // Least recently used first: the first live entry ends the sweep.
        Iterator<Entry> entries = sessions.values().iterator();
        while (entries.hasNext()) {
            if (!isExpired(entries.next(), now)) {
                return;
            }
            entries.remove();
        }
    }

    private boolean isExpired(Entry entry, long now) {
        return now - entry.lastUsedNanos > expiryNanos;
    }

    private String newId() {
        byte[] bytes = new byte[ID_BYTES];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static final class Entry {
        final Session session;
        long lastUsedNanos;

        Entry(Session session, long lastUsedNanos) {
            this.session = session;
            this.lastUsedNanos = lastUsedNanos;
        }
    }
}
