package dev.switchboard.plugins.swarm;

/** A call to the remote Swarm server failed; the message is written for operators and never holds secrets. */
final class RemoteSwarmException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What kind of failure, which decides between idling, failing and reconnecting. */
    enum Kind {
        /** Could not connect, lost the connection, or no complete answer within the deadline. */
        UNREACHABLE,
        /** The remote answered something that is not a Swarm API answer. */
        BAD_ANSWER,
        /** The remote answered {@code {"error": ...}}. */
        REMOTE_ERROR,
        /** The remote does not know our session ({@code invalid_session_id}). */
        INVALID_SESSION,
        /** The address leads back to this very server. */
        SELF,
        /** The call was abandoned because the backend is shutting down. */
        CANCELLED
    }

    private final Kind kind;
    private final String remoteError;

    RemoteSwarmException(Kind kind, String message, Throwable cause) {
        this(kind, message, cause, null);
    }

    /**
     * @param remoteError for {@link Kind#REMOTE_ERROR}: the remote's {@code error} text as it came (it may hold a
     *     secret the remote echoed, so it is only shown where the host redacts it)
     */
    RemoteSwarmException(Kind kind, String message, Throwable cause, String remoteError) {
        super(message, cause);
        this.kind = kind;
        this.remoteError = remoteError;
    }

    Kind kind() {
        return kind;
    }

    /** @return the remote's {@code error} text for {@link Kind#REMOTE_ERROR}, else null */
    String remoteError() {
        return remoteError;
    }
}
