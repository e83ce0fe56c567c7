package dev.switchboard.server.accounts;

/**
 * A successful login: its user, the token for the cookie (shown only here), and how long it lasts.
 *
 * @param user the user logged in
 * @param token the login cookie's value
 * @param maxAgeSeconds the cookie's Max-Age
 */
public record LoginResult(String user, String token, long maxAgeSeconds) {
    @Override
    public String toString() {
        return "LoginResult[user=" + user + "]";
    }
}
