package dev.switchboard.server.routes.accounts;

import dev.switchboard.server.http.ResponseHeader;
import dev.switchboard.server.sessions.Credentials;

/**
 * The page's login cookie ({@value Credentials#LOGIN_COOKIE}, SwarmUI's name): sent to every path of the server,
 * never readable by scripts, never sent on requests from other sites.
 */
final class LoginCookie {
    private static final String ATTRIBUTES = "; Path=/; HttpOnly; SameSite=Strict; Max-Age=";

    private LoginCookie() {
    }

    /** @return the header that sets the cookie to a login's token for {@code maxAgeSeconds} */
    static ResponseHeader set(String token, long maxAgeSeconds) {
        return new ResponseHeader("Set-Cookie", Credentials.LOGIN_COOKIE + "=" + token + ATTRIBUTES + maxAgeSeconds);
    }

    /** @return the header that makes the browser drop the cookie */
    static ResponseHeader cleared() {
        return new ResponseHeader("Set-Cookie", Credentials.LOGIN_COOKIE + "=" + ATTRIBUTES + 0);
    }
}
