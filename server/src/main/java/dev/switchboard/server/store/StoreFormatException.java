package dev.switchboard.server.store;

/**
 * Stored data is not valid: the bytes of a backends file are not a valid backends document, or a stored value
 * does not fit what reads it. The message says what is wrong and where.
 */
public final class StoreFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    StoreFormatException(String message) {
        super(message);
    }
}
