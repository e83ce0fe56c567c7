package dev.switchboard.server.outputs;

/**
 * A path that names no place inside a user's outputs folder: absolute, leading out of it (also through a symbolic
 * link), empty, or a user folder name that no user id has. The message is SwarmUI's text for clients (error id
 * {@value #ERROR_ID}); {@link #detail()} says what was wrong, for the server log only.
 */
public final class OutputPathException extends Exception {

    /** SwarmUI's error id for a refused path. */
    public static final String ERROR_ID = "bad_path";
    /** SwarmUI's text for a refused path; what is wrong goes to the log, never to the client. */
    public static final String MESSAGE = "Unacceptable path. If you are the server owner, check program console log.";

    private final String detail;

    OutputPathException(String detail) {
        super(MESSAGE);
        this.detail = detail;
    }

    /** @return what was wrong with the path, for the server log */
    public String detail() {
        return detail;
    }
}
