package dev.switchboard.server.plugins;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.concurrent.ExecutionException;

/** Turns a throwable from plugin code into the short text operators see: the real cause's class and message. */
final class FailureText {
    private FailureText() {
    }

    /**
     * Describes the throwable after unwrapping reflection and executor wrappers.
     *
     * @return e.g. {@code java.lang.IllegalStateException: no address}
     */
    static String describe(Throwable throwable) {
        Throwable cause = unwrap(throwable);
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getName()
                : cause.getClass().getName() + ": " + message;
    }

    /**
     * Describes the throwable for a backend's status message: its message alone, which plugins write for
     * operators; the class name is added for errors and bugs, and stands alone when there is no message.
     *
     * @return e.g. {@code Could not connect to ComfyUI at http://host:8188: connection refused.}
     */
    static String message(Throwable throwable) {
        Throwable cause = unwrap(throwable);
        String message = cause.getMessage();
        if (message == null || message.isBlank()) {
            return cause.getClass().getSimpleName();
        }
        if (cause instanceof Error || cause instanceof NullPointerException || cause instanceof ClassCastException) {
            return cause.getClass().getSimpleName() + ": " + message;
        }
        return message;
    }

    private static Throwable unwrap(Throwable throwable) {
        Throwable current = throwable;
        while (current.getCause() != null && (current instanceof InvocationTargetException
                || current instanceof ExceptionInInitializerError
                || current instanceof ExecutionException
                || current instanceof UndeclaredThrowableException)) {
            current = current.getCause();
        }
        return current;
    }
}
