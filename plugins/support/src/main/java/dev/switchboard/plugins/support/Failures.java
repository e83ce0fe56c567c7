package dev.switchboard.plugins.support;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/** Looks inside the failures asynchronous HTTP calls end with, to tell operators what really went wrong. */
public final class Failures {
    /** How much of a remote's or the OS's text a message quotes. */
    private static final int QUOTED_CHARS = 80;
    /** How much of an unexpected failure's text a message quotes. */
    private static final int UNEXPECTED_CHARS = 120;

    private Failures() {
    }

    /**
     * Tells what made a call of the JDK HTTP client fail: the one place where its exceptions are told apart, so
     * every plugin reports a refused connection, an unknown host or a stalled answer the same way.
     *
     * @param failure what the call's future failed with (wrappers are removed first); a call whose deadline ran
     *     out with {@link java.util.concurrent.CompletableFuture#orTimeout} fails with a {@link TimeoutException}
     * @return the kind, with the text a message may quote
     */
    public static CallFailure classify(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof CancellationException) {
            return new CallFailure(CallFailure.Kind.CANCELLED, "", cause);
        }
        if (cause instanceof TimeoutException) {
            return new CallFailure(CallFailure.Kind.TIMED_OUT, "", cause);
        }
        if (cause instanceof HttpConnectTimeoutException) {
            return new CallFailure(CallFailure.Kind.CONNECT_TIMED_OUT, "", cause);
        }
        if (cause instanceof BoundedBodyHandler.BodyTooLargeException) {
            return new CallFailure(CallFailure.Kind.TOO_LARGE, cause.getMessage(), cause);
        }
        // The JDK reports an unknown host as a ConnectException caused by one of these.
        if (hasCause(cause, UnresolvedAddressException.class) || hasCause(cause, UnknownHostException.class)) {
            return new CallFailure(CallFailure.Kind.UNKNOWN_HOST, "", cause);
        }
        String detail = messages(cause);
        if (cause instanceof ConnectException) {
            // The JDK client reports a refused connection as a ConnectException without any message.
            return new CallFailure(CallFailure.Kind.REFUSED, detail.isEmpty()
                    || detail.toLowerCase(Locale.ROOT).contains("refused") ? "connection refused"
                    : UntrustedText.sanitize(detail, QUOTED_CHARS), cause);
        }
        if (cause instanceof IOException) {
            return new CallFailure(CallFailure.Kind.CONNECTION_LOST, detail.isEmpty()
                    ? cause.getClass().getSimpleName() : UntrustedText.sanitize(detail, QUOTED_CHARS), cause);
        }
        return new CallFailure(CallFailure.Kind.UNEXPECTED, UntrustedText.sanitize(String.valueOf(cause),
                UNEXPECTED_CHARS), cause);
    }

    /**
     * Turns what a call failed with into a plugin's own exception: one the plugin threw itself while reading the
     * answer passes through as it is, anything else is {@linkplain #classify classified} and worded by the plugin.
     *
     * @param failure what the call's future failed with
     * @param own the plugin's exception type
     * @param wording words a classified failure for the plugin's operators
     * @param <E> the plugin's exception type
     * @return the exception to throw
     */
    public static <E extends Exception> E explain(Throwable failure, Class<E> own, Function<CallFailure, E> wording) {
        Throwable cause = unwrap(failure);
        return own.isInstance(cause) ? own.cast(cause) : wording.apply(classify(cause));
    }

    /**
     * Strips the wrappers futures add.
     *
     * @param failure what a future failed with
     * @return the first cause that is not a {@link CompletionException} or {@link ExecutionException}
     */
    public static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    /**
     * Tells whether a failure or one of its causes is of a type.
     *
     * @param failure the failure
     * @param type the type looked for
     * @return true when found in the cause chain
     */
    public static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Joins the messages of a failure and its causes, e.g. "Connection refused".
     *
     * @param failure the failure
     * @return the messages separated by ": ", empty when none has one
     */
    public static String messages(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null) {
                text.append(text.length() == 0 ? "" : ": ").append(t.getMessage());
            }
        }
        return text.toString();
    }
}
