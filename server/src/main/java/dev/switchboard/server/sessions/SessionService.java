package dev.switchboard.server.sessions;

import static java.util.Objects.requireNonNull;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Creates and finds API sessions. Sessions live in memory only, expire after {@link #DEFAULT_EXPIRY} without
 * use, and at most {@link #DEFAULT_CAPACITY} are kept: beyond that one not used lately is dropped, so a
 * client looping on {@code GetNewSession} cannot exhaust memory. Thread-safe.
 *
 * <p>Every API request looks its session up, so lookups take no lock: a concurrent map, and a "used" mark on
 * the entry. Creating a session takes the eviction lock, which keeps the sessions in creation order and drops
 * by the CLOCK rule (an approximation of least-recently-used): the oldest is dropped unless it was used since
 * it was last passed over, in which case its mark is cleared and it goes to the back of the line.
 */
@Singleton
public final class SessionService {

    /** How long a session survives without being used (SwarmUI's value). */
    public static final Duration DEFAULT_EXPIRY = Duration.ofDays(31);
    /** How many sessions are kept at most. */
    public static final int DEFAULT_CAPACITY = 10_000;

    private static final int ID_BYTES = 20;
    private static final HexFormat HEX = HexFormat.of();
    private static final List<String> SINGLE_USER_PERMISSIONS = List.of(Permission.ALL);

    private final LongSupplier nanoClock;
    private final long expiryNanos;
    private final int capacity;
    private final SecureRandom random = newRandomSource();
    /**
     * Random bytes drawn from {@link #random} a few kilobytes at a time, each handed out once: one draw costs
     * about as much as a draw of 4 KiB. One batch under its own lock (held to copy 20 bytes, or to refill every
     * 200 ids); a batch per thread was slower, its thread-local lookup missing in the I/O threads' crowded
     * thread-local tables.
     */
    private final RandomBatch randomBatch = new RandomBatch();
    private final ConcurrentHashMap<String, Entry> sessions;
    private final Object evictionLock = new Object();
    /** Every kept session (and some already removed), oldest first. Guarded by evictionLock. */
    private final ArrayDeque<Entry> line = new ArrayDeque<>();

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
        // Sized once for four times the capacity, so the table never resizes and a bin practically never
        // collects the eight ids that turn it into a tree. Grown on demand, the table ends about 60 %
        // full, where a steady stream of new sessions made such a tree within 80 s of load; the first one the
        // map met threw away the compiled code of every request path that inlines the map (a flight
        // recording of a GetNewSession load showed it), and recompiling those takes a core for a second.
        this.sessions = new ConcurrentHashMap<>((int) Math.min(4L * capacity, Integer.MAX_VALUE));
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
        return create(new Identity(userId, permissions, ""));
    }

    /**
     * Creates a new session acting as an identity.
     *
     * @param identity the user, permissions and origin of the session
     * @return the new session
     */
    public Session create(Identity identity) {
        requireNonNull(identity, "identity is null");
        // The random id is drawn outside the lock: the system generator is the slow part of a new session.
        Entry entry = new Entry(newSession(identity), nanoClock.getAsLong());
        while (sessions.putIfAbsent(entry.session.id(), entry) != null) {
            entry = new Entry(newSession(identity), entry.lastUsedNanos);
        }
        synchronized (evictionLock) {
            line.addLast(entry);
            dropExpiredAndExcess(nanoClock.getAsLong());
        }
        return entry.session;
    }

    /**
     * Finds a live session and marks it as used now.
     *
     * @param id the session id as the client sent it
     * @return the session, or empty when the id is unknown or expired
     */
    public Optional<Session> find(String id) {
        requireNonNull(id, "id is null");
        Entry entry = sessions.get(id);
        if (entry == null) {
            return Optional.empty();
        }
        long now = nanoClock.getAsLong();
        if (isExpired(entry, now)) {
            sessions.remove(id, entry);
            return Optional.empty();
        }
        entry.lastUsedNanos = now;
        entry.used = true;
        return Optional.of(entry.session);
    }

    /**
     * Gives every session of a user new permissions (a role of theirs changed), or ends them all when
     * {@code permissions} is null (the user was deleted). Takes effect on each session's next request.
     *
     * @param userId the user
     * @param permissions the permission ids the user now holds, or null to end the user's sessions
     */
    public void updateUser(String userId, List<String> permissions) {
        requireNonNull(userId, "userId is null");
        if (permissions == null) {
            sessions.values().removeIf(entry -> entry.session.userId().equals(userId));
            return;
        }
        sessions.values().forEach(entry -> {
            Session old = entry.session;
            if (old.userId().equals(userId)) {
                entry.session = new Session(old.id(), userId, permissions, old.origin());
            }
        });
    }

    /**
     * Ends every session made through one origin (a login that logged out, an API key revoked).
     *
     * @param origin the origin, e.g. {@code login:...}; must not be empty
     */
    public void endOrigin(String origin) {
        if (requireNonNull(origin, "origin is null").isEmpty()) {
            throw new IllegalArgumentException("origin is empty");
        }
        sessions.values().removeIf(entry -> entry.session.origin().equals(origin));
    }

    /** Ends every session (accounts were just turned on: all were made for the single user). */
    public void endAll() {
        sessions.clear();
    }

    /** Returns how many sessions are currently kept (expired ones may still be counted until swept). */
    int size() {
        return sessions.size();
    }

    // Guarded by evictionLock. Spares each entry at most once per call, so it ends even while lookups keep
    // marking entries as used.
    private void dropExpiredAndExcess(long now) {
        int spares = line.size();
        Entry oldest;
        while ((oldest = line.peekFirst()) != null) {
            String id = oldest.session.id();
            if (sessions.get(id) != oldest) {
                line.pollFirst(); // found expired by find(), already removed
            } else if (isExpired(oldest, now)) {
                line.pollFirst();
                sessions.remove(id, oldest);
            } else if (sessions.size() <= capacity) {
                return;
            } else if (oldest.used && spares-- > 0) {
                oldest.used = false;
                line.addLast(line.pollFirst());
            } else {
                line.pollFirst();
                sessions.remove(id, oldest);
            }
        }
    }

    private boolean isExpired(Entry entry, long now) {
        return now - entry.lastUsedNanos > expiryNanos;
    }

    /**
     * The JDK's NIST SP 800-90A generator (Hash_DRBG over SHA-256, seeded from the system's entropy source):
     * a cryptographically strong source, and a quarter of the cost of the default NativePRNG, which reads
     * /dev/urandom and mixes in SHA1PRNG on every draw under one lock.
     */
    private static SecureRandom newRandomSource() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom(); // every JDK since 9 has DRBG; this only keeps odd runtimes working
        }
    }

    private Session newSession(Identity identity) {
        return new Session(newId(), identity.user(), identity.permissions(), identity.origin());
    }

    private String newId() {
        return HEX.formatHex(randomBatch.next(random));
    }

    private static final class RandomBatch {
        private final byte[] bytes = new byte[ID_BYTES * 200];
        private int used = bytes.length;

        synchronized byte[] next(SecureRandom random) {
            if (used == bytes.length) {
                random.nextBytes(bytes);
                used = 0;
            }
            byte[] id = Arrays.copyOfRange(bytes, used, used + ID_BYTES);
            // Handed out once: overwritten so the bytes of an id never stay behind in the batch.
            Arrays.fill(bytes, used, used + ID_BYTES, (byte) 0);
            used += ID_BYTES;
            return id;
        }
    }

    private static final class Entry {
        /** Replaced (never its id) when the user's permissions change. */
        volatile Session session;
        volatile long lastUsedNanos;
        /** Set by every use; cleared when the eviction passes over the entry and spares it. */
        volatile boolean used;

        Entry(Session session, long lastUsedNanos) {
            this.session = session;
            this.lastUsedNanos = lastUsedNanos;
        }
    }
}
