package dev.switchboard.server.outputs;

/**
 * An image could not be saved: the disk is full, a folder cannot be created or written, the image is not what its
 * media type says. Nothing of it is left on disk. The message says why in words a user can read, naming folders
 * relative to the data directory (never an absolute path); {@link #userMessage()} prefixes it with SwarmUI's text.
 */
public final class OutputSaveException extends Exception {

    /** SwarmUI's error text for an image that could not be written. */
    public static final String SWARM_MESSAGE = "Server failed to save an image.";

    public OutputSaveException(String reason, Throwable cause) {
        super(reason, cause);
    }

    public OutputSaveException(String reason) {
        super(reason);
    }

    /** @return {@value #SWARM_MESSAGE} followed by the reason, the text to show the client */
    public String userMessage() {
        return SWARM_MESSAGE + " " + getMessage();
    }
}
