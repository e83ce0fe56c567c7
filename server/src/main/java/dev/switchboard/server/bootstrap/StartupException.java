package dev.switchboard.server.bootstrap;

/** The server cannot start; the message tells the operator why and what to do. */
public final class StartupException extends Exception {
    private static final long serialVersionUID = 1L;

    StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
