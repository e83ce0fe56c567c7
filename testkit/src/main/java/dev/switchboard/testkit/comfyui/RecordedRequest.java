package dev.switchboard.testkit.comfyui;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One HTTP request the {@link ComfyUiStandIn} received, recorded when it arrived (before any stall or
 * delay), so tests can see requests the stand-in never answered.
 *
 * @param method the HTTP method, e.g. {@code GET}
 * @param path the request path exactly as sent, e.g. {@code /api/object_info}
 * @param query the raw query string without {@code ?}, or an empty string
 * @param headers the request headers; keys are case-insensitive
 * @param body the request body decoded as UTF-8; empty when there was none
 */
public record RecordedRequest(String method, String path, String query, Map<String, List<String>> headers,
        String body) {

    /**
     * Checks and copies the fields.
     *
     * @param method the method, never null
     * @param path the path, never null
     * @param query the query, never null
     * @param headers the headers, never null
     * @param body the body, never null
     */
    public RecordedRequest {
        requireNonNull(method, "method is null");
        requireNonNull(path, "path is null");
        requireNonNull(query, "query is null");
        requireNonNull(headers, "headers is null");
        requireNonNull(body, "body is null");
        Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
        headers = Collections.unmodifiableMap(copy);
    }

    /**
     * Returns the first value of a header.
     *
     * @param name the header name, in any case
     * @return the first value, or empty when the header was not sent
     */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /**
     * Tells whether this request had the given method and path.
     *
     * @param expectedMethod e.g. {@code POST}
     * @param expectedPath e.g. {@code /free}
     * @return true when both match exactly
     */
    public boolean is(String expectedMethod, String expectedPath) {
        return method.equals(expectedMethod) && path.equals(expectedPath);
    }

    @Override
    public String toString() {
        return method + " " + path + (query.isEmpty() ? "" : "?" + query);
    }
}
