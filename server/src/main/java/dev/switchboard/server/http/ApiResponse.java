package dev.switchboard.server.http;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonObject;
import java.util.List;

/**
 * One JSON answer of the API: an HTTP status, the compact JSON text of its body, and its outcome for the request
 * metrics ({@code ok}, {@code error} for a route's own error, else the envelope's {@code error_id}: a fixed word,
 * never anything the client sent). The envelope's error bodies live here, word for word as SwarmUI sends them
 * (note the key order differs for the 401).
 */
record ApiResponse(int status, JsonText body, String outcome, List<ResponseHeader> headers) {

    static final String OK = "ok";
    static final String ROUTE_ERROR = "error";

    ApiResponse {
        requireNonNull(body, "body is null");
        requireNonNull(outcome, "outcome is null");
        headers = List.copyOf(requireNonNull(headers, "headers is null"));
    }

    ApiResponse(int status, JsonText body, String outcome) {
        this(status, body, outcome, List.of());
    }

    /** @return this answer with extra response headers (a route's cookie) */
    ApiResponse withHeaders(List<ResponseHeader> extra) {
        return extra.isEmpty() ? this : new ApiResponse(status, body, outcome, extra);
    }

    ApiResponse(int status, String json, String outcome) {
        this(status, JsonText.of(json), outcome);
    }

    /** A route's result, already written as JSON text. */
    static ApiResponse ok(JsonText result) {
        return new ApiResponse(200, result, OK);
    }

    /** @return the body as text */
    String json() {
        return body.toString();
    }

    /** A route-level or parameter error: HTTP 200 with {@code {"error": message}}. */
    static ApiResponse routeError(String message) {
        JsonObject body = new JsonObject();
        body.addProperty("error", message);
        return new ApiResponse(200, ApiJson.write(body), ROUTE_ERROR);
    }

    /**
     * A route-level error with SwarmUI's id (e.g. {@code invalid_login}): HTTP 200 with {@code {"error_id": id,
     * "error": message}}; the id, a fixed word of the server's, is the outcome.
     */
    static ApiResponse routeError(String errorId, String message) {
        JsonObject body = new JsonObject();
        body.addProperty("error_id", errorId);
        body.addProperty("error", message);
        return new ApiResponse(200, ApiJson.write(body), errorId);
    }

    /** The answer to a route's {@link ApiError}: with its error id when it has one. */
    static ApiResponse routeError(ApiError error) {
        return error.errorId().map(id -> routeError(id, error.getMessage()))
                .orElseGet(() -> routeError(error.getMessage()));
    }

    static ApiResponse wrongContentType() {
        return envelopeError("basic_api", "Wrong content type");
    }

    static ApiResponse badContentLength() {
        return envelopeError("basic_api", "bad content length");
    }

    static ApiResponse missingSessionId() {
        return envelopeError("basic_api", "missing session id");
    }

    static ApiResponse invalidSessionId() {
        JsonObject body = new JsonObject();
        body.addProperty("error", "Invalid session ID. You may need to refresh the page.");
        body.addProperty("error_id", "invalid_session_id");
        return new ApiResponse(401, ApiJson.write(body), "invalid_session_id");
    }

    static ApiResponse unknownRoute() {
        return envelopeError("bad_route", "Unknown API route");
    }

    /** Over a WebSocket SwarmUI words it differently: a trailing period, and {@code error} first. */
    static ApiResponse unknownRouteOverWebSocket() {
        return new ApiResponse(400, "{\"error\":\"Unknown API route.\",\"error_id\":\"bad_route\"}", "bad_route");
    }

    static ApiResponse httpRequired() {
        return envelopeError("bad_request_method", "API route needs HTTP, request is websocket");
    }

    static ApiResponse webSocketRequired() {
        return envelopeError("bad_request_method", "API route needs websocket, request is HTTP");
    }

    static ApiResponse lackingPermission() {
        return envelopeError("bad_permissions", "You lack permissions for this route.");
    }

    static ApiResponse noResult() {
        return envelopeError("no_result", "API call did not return any output");
    }

    static ApiResponse internalError() {
        return envelopeError("internal_error", "An internal error occurred");
    }

    /** The {@code Host} header names no address this server answers to (a DNS-rebinding guard). */
    static ApiResponse badHost() {
        return envelopeError("bad_host", "The Host header names an address this server does not accept");
    }

    /** A POST whose {@code Origin} is neither this server nor an allowed origin (a cross-site request). */
    static ApiResponse badOrigin() {
        return envelopeError("bad_origin", "Requests from this Origin are not accepted");
    }

    private static ApiResponse envelopeError(String errorId, String message) {
        JsonObject body = new JsonObject();
        body.addProperty("error_id", errorId);
        body.addProperty("error", message);
        return new ApiResponse(400, ApiJson.write(body), errorId);
    }
}
