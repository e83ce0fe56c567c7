package dev.switchboard.testkit.sdwebui;

import static java.util.Objects.requireNonNull;

/**
 * One request the stand-in received.
 *
 * @param method the HTTP method, e.g. {@code GET}
 * @param path the path, e.g. {@code /sdapi/v1/options}
 * @param body the request body (empty for GET)
 */
public record SdWebUiRequest(String method, String path, String body) {
    /** Checks the fields. */
    public SdWebUiRequest {
        requireNonNull(method, "method is null");
        requireNonNull(path, "path is null");
        requireNonNull(body, "body is null");
    }
}
