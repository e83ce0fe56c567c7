package dev.switchboard.server.dispatch;

/** Submitting jobs would pass a queue bound; nothing was queued. The message is for the client. */
public final class QueueFullException extends Exception {
    private static final long serialVersionUID = 1L;

    QueueFullException(String message) {
        super(message);
    }
}
