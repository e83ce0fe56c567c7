package dev.switchboard.server.http;

import static java.util.Objects.requireNonNull;

/**
 * A request parameter is missing or cannot be converted. Sent as HTTP 200 {@code {"error": message}} with
 * SwarmUI's message texts (see {@link ApiCall}).
 */
public final class ApiParameterException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ApiParameterException(String message) {
        super(requireNonNull(message, "message is null"));
    }
}
