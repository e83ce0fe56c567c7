package dev.switchboard.server.backends;

/** An operation on backends that was refused; the message is shown to the API client as is. */
public final class BackendOperationException extends Exception {
    private static final long serialVersionUID = 1L;

    public BackendOperationException(String message) {
        super(message);
    }
}
