package dev.switchboard.server.sessions;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a request carries to say who sends it: an API key ({@code Authorization: Bearer <key>}), the page's login
 * cookie ({@value #LOGIN_COOKIE}), and the address it came from (for rate limits and the audit log). Never
 * printed: {@link #toString()} shows only which are present.
 *
 * @param bearerToken the text after {@code Bearer } in the Authorization header
 * @param loginToken the login cookie's value
 * @param address the client's address, e.g. {@code 127.0.0.1}; empty when unknown
 */
public record Credentials(Optional<String> bearerToken, Optional<String> loginToken, String address) {
    /** The page's login cookie (SwarmUI's name). */
    public static final String LOGIN_COOKIE = "swarm_token";
    /** No credentials, from an unknown address. */
    public static final Credentials NONE = new Credentials(Optional.empty(), Optional.empty(), "");

    private static final String BEARER = "bearer ";

    public Credentials {
        requireNonNull(bearerToken, "bearerToken is null");
        requireNonNull(loginToken, "loginToken is null");
        requireNonNull(address, "address is null");
    }

    /**
     * Reads the credentials of a request from its headers.
     *
     * @param header a header's first value by name, ignoring case; null when absent
     * @param address the client's address
     */
    public static Credentials of(Function<String, String> header, String address) {
        String authorization = header.apply("Authorization");
        Optional<String> bearer = Optional.empty();
        if (authorization != null && authorization.length() > BEARER.length()
                && authorization.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
            bearer = Optional.of(authorization.substring(BEARER.length()).strip()).filter(key -> !key.isEmpty());
        }
        return new Credentials(bearer, cookie(header.apply("Cookie"), LOGIN_COOKIE), address);
    }

    /** @return whether the request carries a key or a login cookie */
    public boolean present() {
        return bearerToken.isPresent() || loginToken.isPresent();
    }

    /** The value of one cookie in a {@code Cookie} header ({@code a=1; b=2}), if present and not empty. */
    static Optional<String> cookie(String cookieHeader, String name) {
        if (cookieHeader == null) {
            return Optional.empty();
        }
        for (String pair : cookieHeader.split(";")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).strip().equals(name)) {
                String value = pair.substring(equals + 1).strip();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                return value.isEmpty() ? Optional.empty() : Optional.of(value);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "Credentials[bearer=" + (bearerToken.isPresent() ? "<set>" : "<none>") + ", login="
                + (loginToken.isPresent() ? "<set>" : "<none>") + ", address=" + address + "]";
    }
}
