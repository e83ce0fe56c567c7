package dev.switchboard.server.http;

/** A request body that is not one strict UTF-8 JSON object. */
final class MalformedBodyException extends Exception {

    private static final long serialVersionUID = 1L;

    MalformedBodyException(String message, Throwable cause) {
        super(message, cause);
    }

    MalformedBodyException(String message) {
        super(message);
    }
}
