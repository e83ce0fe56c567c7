package dev.switchboard.server.accounts;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The page's logins: a login cookie's token maps to a user until it expires or the user logs out. Kept in memory
 * by the SHA-256 of the token (a restart logs everyone out; the token itself is never stored). At most
 * {@link #MAX_LOGINS}; beyond that the login closest to expiry is dropped. Thread-safe.
 */
final class Logins {
    /** How long a login lasts; also the cookie's Max-Age. */
    static final Duration LIFETIME = Duration.ofDays(30);
    static final int MAX_LOGINS = 10_000;
    private static final int TOKEN_BYTES = 32;

    private final Clock clock;
    private final Secrets secrets;
    private final ConcurrentHashMap<String, Login> byTokenHash = new ConcurrentHashMap<>();

    Logins(Clock clock, Secrets secrets) {
        this.clock = requireNonNull(clock, "clock is null");
        this.secrets = requireNonNull(secrets, "secrets is null");
    }

    /** A login: its public id (the origin of its sessions), its user and its end. */
    record Login(String id, String user, Instant expires) {
        String origin() {
            return "login:" + id;
        }
    }

    /** A new login and the token for its cookie (shown only here). */
    record Started(Login login, String token) {
    }

    Started start(String user) {
        String token = secrets.token(TOKEN_BYTES);
        Login login = new Login(secrets.token(9), user, clock.instant().plus(LIFETIME));
        if (byTokenHash.size() >= MAX_LOGINS) {
            dropOne();
        }
        byTokenHash.put(Secrets.sha256(token), login);
        return new Started(login, token);
    }

    Optional<Login> find(String token) {
        String hash = Secrets.sha256(token);
        Login login = byTokenHash.get(hash);
        if (login == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(login.expires())) {
            byTokenHash.remove(hash, login);
            return Optional.empty();
        }
        return Optional.of(login);
    }

    /** Ends the login with this token; @return the ended login */
    Optional<Login> end(String token) {
        return Optional.ofNullable(byTokenHash.remove(Secrets.sha256(token)));
    }

    /** Ends the login with this origin; @return whether one was ended */
    boolean endOrigin(String origin) {
        return byTokenHash.values().removeIf(login -> login.origin().equals(origin));
    }

    /** Ends every login of a user (deleted, or their password was set by someone else). */
    void endUser(String user) {
        endUserExcept(user, "");
    }

    /** Ends every login of a user but the one with this origin (the user changing their own password). */
    void endUserExcept(String user, String keptOrigin) {
        byTokenHash.values().removeIf(login -> login.user().equals(user) && !login.origin().equals(keptOrigin));
    }

    private void dropOne() {
        byTokenHash.entrySet().stream()
                .min((a, b) -> a.getValue().expires().compareTo(b.getValue().expires()))
                .ifPresent(oldest -> byTokenHash.remove(oldest.getKey(), oldest.getValue()));
    }
}
