package dev.switchboard.server.backends;

/**
 * A job did not produce its images: the message is what the API client reads (already free of secrets). A job
 * that was cancelled (its client interrupted or left) says so with {@link #cancelled()}.
 */
public final class JobFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean cancelled;

    /** A failure (not a cancellation) whose message the client reads. */
    public JobFailedException(String message) {
        this(message, null, false);
    }

    JobFailedException(String message, Throwable cause, boolean cancelled) {
        super(message, cause);
        this.cancelled = cancelled;
    }

    /** @return true when the job ended because it was cancelled, not because it failed */
    public boolean cancelled() {
        return cancelled;
    }
}
