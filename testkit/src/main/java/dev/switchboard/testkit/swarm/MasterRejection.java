package dev.switchboard.testkit.swarm;

/**
 * Thrown by {@link MasterSimulator} when a remote answered something a SwarmUI master would reject: a body that is
 * not a JSON object, a field a master reads missing or of the wrong JSON type, an {@code image} before its
 * {@code raw_swarm_data}, a stream that ends without a close frame or goes 30 s without a message, an interrupt
 * that does not end the stream promptly, a session refused right after it was made. The message names the call,
 * the rule (generation.md section 1) and what came.
 *
 * @since 1.0
 */
public final class MasterRejection extends AssertionError {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the rejection.
     *
     * @param message which call, which rule, what came
     */
    public MasterRejection(String message) {
        super(message);
    }
}
