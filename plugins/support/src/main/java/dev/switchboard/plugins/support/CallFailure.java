package dev.switchboard.plugins.support;

import static java.util.Objects.requireNonNull;

/**
 * Why a call to an engine's HTTP API failed, told apart the same way for every plugin (see
 * {@link Failures#classify}); each plugin then words the message for its operators.
 *
 * @param kind what happened
 * @param detail text the message may quote, already made safe for a status line: what the OS said for
 *     {@link Kind#REFUSED} and {@link Kind#CONNECTION_LOST}, the limit for {@link Kind#TOO_LARGE}, the failure
 *     itself for {@link Kind#UNEXPECTED}; empty for the other kinds
 * @param cause the failure as the call ended with it, without the wrappers futures add
 */
public record CallFailure(Kind kind, String detail, Throwable cause) {

    /** What happened, broadly; the order is the order in which {@link Failures#classify} checks. */
    public enum Kind {
        /** The call was abandoned, e.g. because the backend is shutting down. */
        CANCELLED,
        /** No complete answer (headers and body) within the call's own deadline. */
        TIMED_OUT,
        /** The connection could not be opened within the client's connect timeout. */
        CONNECT_TIMED_OUT,
        /** The answer's body was larger than the limit the call accepts. */
        TOO_LARGE,
        /** The host name of the address does not resolve. */
        UNKNOWN_HOST,
        /** Nothing accepted the connection (usually: connection refused). */
        REFUSED,
        /** The connection broke during the exchange. */
        CONNECTION_LOST,
        /** Anything else; a bug rather than a network condition. */
        UNEXPECTED
    }

    /**
     * Checks the fields.
     *
     * @param kind what happened
     * @param detail quotable text, never null
     * @param cause the failure, never null
     */
    public CallFailure {
        requireNonNull(kind, "kind is null");
        requireNonNull(detail, "detail is null");
        requireNonNull(cause, "cause is null");
    }
}
