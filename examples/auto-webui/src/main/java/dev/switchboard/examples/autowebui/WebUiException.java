package dev.switchboard.examples.autowebui;

/** The WebUI could not be used; the message says why and what to do, ready for the backend's status. */
final class WebUiException extends Exception {
    private static final long serialVersionUID = 1L;

    WebUiException(String message) {
        super(message);
    }

    WebUiException(String message, Throwable cause) {
        super(message, cause);
    }
}
