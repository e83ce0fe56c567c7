package dev.switchboard.server.backends;

/** A call into plugin code that threw, overran its deadline or was cancelled. The message is meant for operators. */
public final class PluginCallException extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean timedOut;

    PluginCallException(String message, Throwable cause, boolean timedOut) {
        super(message, cause);
        this.timedOut = timedOut;
    }

    /** @return true when the call overran its deadline */
    public boolean timedOut() {
        return timedOut;
    }

    /** Describes a plugin's exception for operators: its message, or its class name when it has none. */
    static String describe(Throwable error) {
        String message = error.getMessage();
        if (message == null || message.isBlank()) {
            return error.getClass().getSimpleName();
        }
        // Errors (OutOfMemoryError, StackOverflowError, ...) and unexpected runtime exceptions are worth naming.
        if (error instanceof Error || error instanceof NullPointerException || error instanceof ClassCastException) {
            return error.getClass().getSimpleName() + ": " + message;
        }
        return message;
    }
}
