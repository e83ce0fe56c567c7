package dev.switchboard.server.store;

/** The backends store could not do what was asked; the message says why in words an operator understands. */
public class StoreException extends Exception {

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
