package dev.switchboard.plugins.support;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Looks inside the failures asynchronous HTTP calls end with, to tell operators what really went wrong. */
public final class Failures {
    private Failures() {
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
