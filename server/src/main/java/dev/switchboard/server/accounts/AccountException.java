package dev.switchboard.server.accounts;

import java.util.Optional;

/**
 * A refused account operation; the message is for the client and changes nothing was made. Some carry SwarmUI's
 * {@code error_id} ({@code invalid_login}, {@code ratelimit}).
 */
public final class AccountException extends Exception {
    private static final long serialVersionUID = 1L;

    /** SwarmUI's id for a wrong name or password. */
    public static final String INVALID_LOGIN = "invalid_login";
    /** SwarmUI's id for too many attempts. */
    public static final String RATE_LIMIT = "ratelimit";

    private final String errorId;

    public AccountException(String message) {
        this(null, message);
    }

    public AccountException(String errorId, String message) {
        super(message);
        this.errorId = errorId;
    }

    /** @return SwarmUI's error id, when the refusal has one */
    public Optional<String> errorId() {
        return Optional.ofNullable(errorId);
    }
}
