package dev.switchboard.server.store;

/** The bytes of a backends file are not a valid backends document; the message says what is wrong and where. */
final class StoreFormatException extends Exception {

    StoreFormatException(String message) {
        super(message);
    }
}
