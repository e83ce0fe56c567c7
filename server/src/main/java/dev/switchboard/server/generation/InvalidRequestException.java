package dev.switchboard.server.generation;

/** A generation request that cannot run as sent; the message is for the client, as SwarmUI words it. */
public final class InvalidRequestException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidRequestException(String message) {
        super(message);
    }
}
