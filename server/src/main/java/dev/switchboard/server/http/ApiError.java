package dev.switchboard.server.http;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A route-level error, e.g. {@code Invalid backend ID 99}: sent as HTTP 200 {@code {"error": message}}, the way
 * SwarmUI reports every route-level problem. The message goes to the client verbatim. Some of SwarmUI's routes name
 * the error with an id clients act on ({@code Login}'s {@code invalid_login} and {@code ratelimit}); those are sent
 * as HTTP 200 {@code {"error_id": id, "error": message}}, the key order of the envelope's own errors.
 */
public final class ApiError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String errorId;

    public ApiError(String message) {
        super(requireNonNull(message, "message is null"));
        this.errorId = null;
    }

    /**
     * @param errorId SwarmUI's id of the error, a fixed lower-case word such as {@code invalid_login}
     * @param message the text for the client
     */
    public ApiError(String errorId, String message) {
        super(requireNonNull(message, "message is null"));
        this.errorId = requireNonNull(errorId, "errorId is null");
    }

    /** @return SwarmUI's id of the error, when it has one */
    public Optional<String> errorId() {
        return Optional.ofNullable(errorId);
    }
}
