package dev.switchboard.testkit.comfyui;

import static java.util.Objects.requireNonNull;

/**
 * A text message a client sent on the {@link ComfyUiStandIn}'s WebSocket (e.g. SwarmUI's {@code feature_flags}).
 *
 * @param clientId the {@code clientId} the socket was opened with
 * @param text the message as sent
 */
public record SocketMessage(String clientId, String text) {
    /**
     * Checks the fields.
     *
     * @param clientId the client id, never null
     * @param text the text, never null
     */
    public SocketMessage {
        requireNonNull(clientId, "clientId is null");
        requireNonNull(text, "text is null");
    }
}
