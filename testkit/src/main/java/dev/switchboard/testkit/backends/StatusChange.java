package dev.switchboard.testkit.backends;

import static java.util.Objects.requireNonNull;

import dev.switchboard.api.BackendStatus;

/**
 * One report a backend made through {@link TestingBackendContext#setStatus} or
 * {@link TestingBackendContext#setStatusMessage}.
 *
 * @param status the status after the report
 * @param message the status message after the report
 */
public record StatusChange(BackendStatus status, String message) {

    /**
     * Checks the fields.
     *
     * @param status the status, never null
     * @param message the message, never null
     */
    public StatusChange {
        requireNonNull(status, "status is null");
        requireNonNull(message, "message is null");
    }

    @Override
    public String toString() {
        return status.wireName() + (message.isEmpty() ? "" : ": " + message);
    }
}
