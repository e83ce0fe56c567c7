package dev.switchboard.api.generation;

/**
 * A job failed for a reason the user should read, e.g. {@code ComfyUI errored: ...} or
 * {@code ComfyUI execution error: ...}. Thrown by {@link ImageGenerator#generate}; the host shows the message to
 * the API client as is, so it must say what went wrong (and never contain a secret).
 *
 * @since 1.0
 */
public class GenerationException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, for the user
     */
    public GenerationException(String message) {
        super(message);
    }

    /**
     * Creates the exception with the failure that caused it.
     *
     * @param message what went wrong, for the user
     * @param cause the underlying failure, for the operator's log
     */
    public GenerationException(String message, Throwable cause) {
        super(message, cause);
    }
}
