package dev.switchboard.server.store;

/**
 * Stored data is not valid: the bytes of a document file (backends, users) are not a valid document, or a
 * stored value does not fit what reads it. The message says what is wrong and where.
 */
public final class StoreFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong and where */
    public StoreFormatException(String message) {
        super(message);
    }
}
