package dev.switchboard.server.http;

import static java.util.Objects.requireNonNull;

/**
 * A route-level error, e.g. {@code Invalid backend ID 99}: sent as HTTP 200 {@code {"error": message}}, the way
 * SwarmUI reports every route-level problem. The message goes to the client verbatim.
 */
public final class ApiError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ApiError(String message) {
        super(requireNonNull(message, "message is null"));
    }
}
