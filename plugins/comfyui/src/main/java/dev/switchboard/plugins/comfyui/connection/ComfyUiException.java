package dev.switchboard.plugins.comfyui.connection;

import static java.util.Objects.requireNonNull;

/**
 * A failed exchange with ComfyUI, with a message written for operators (it becomes the backend's status
 * message) and the kind of failure, which decides whether a backend that may idle waits or fails.
 */
public final class ComfyUiException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What went wrong, broadly. */
    public enum Kind {
        /** Nothing answered in time: refused, unknown host, timed out, connection lost. */
        UNREACHABLE,
        /** Something answered, but not what ComfyUI answers: an error status, not JSON, an error body. */
        BAD_ANSWER,
        /** The request was abandoned because the backend is shutting down. */
        CANCELLED
    }

    private final Kind kind;

    /**
     * Creates the exception.
     *
     * @param kind what went wrong
     * @param message the operator-facing message
     * @param cause the underlying failure, or null
     */
    public ComfyUiException(Kind kind, String message, Throwable cause) {
        super(requireNonNull(message, "message is null"), cause);
        this.kind = requireNonNull(kind, "kind is null");
    }

    /**
     * Returns the kind of failure.
     *
     * @return the kind
     */
    public Kind kind() {
        return kind;
    }

    /**
     * Tells whether ComfyUI could not be reached at all, as opposed to answering wrongly.
     *
     * @return true for {@link Kind#UNREACHABLE}
     */
    public boolean isUnreachable() {
        return kind == Kind.UNREACHABLE;
    }
}
