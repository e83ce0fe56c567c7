package dev.switchboard.server.sessions;

/** An API key that is unknown, expired or revoked; the message says so without repeating the key. */
public final class InvalidCredentialsException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidCredentialsException(String message) {
        super(message);
    }
}
