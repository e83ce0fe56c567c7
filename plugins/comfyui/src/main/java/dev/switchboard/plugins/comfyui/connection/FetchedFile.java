package dev.switchboard.plugins.comfyui.connection;

import static java.util.Objects.requireNonNull;

/**
 * A file ComfyUI served ({@code GET /view}): its bytes and the content type it was sent with.
 *
 * @param body the bytes
 * @param contentType the {@code Content-Type} header, or an empty string when there was none
 */
public record FetchedFile(byte[] body, String contentType) {
    /**
     * Checks the fields.
     *
     * @param body the bytes, never null
     * @param contentType the content type, never null
     */
    public FetchedFile {
        requireNonNull(body, "body is null");
        requireNonNull(contentType, "contentType is null");
    }
}
