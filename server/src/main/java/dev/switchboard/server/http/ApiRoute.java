package dev.switchboard.server.http;

import com.google.gson.JsonObject;

/**
 * One API route, reached at {@code POST /API/<name>}. Implementations are bound by Guice into a
 * {@code Set<ApiRoute>}; {@link ApiServer} runs the envelope (method, content type, length, body, session,
 * permission) before calling {@link #handle(ApiCall)}.
 */
public interface ApiRoute {

    /**
     * Returns the canonical name, e.g. {@code ListBackends}. Requests match it case-insensitively.
     *
     * @return the name; unique across routes ignoring case
     */
    String name();

    /**
     * Tells whether callers need a valid session. Only {@code GetNewSession} answers false; such routes skip
     * the session and permission checks and see an empty {@link ApiCall#session()}.
     *
     * @return true unless the route creates sessions
     */
    default boolean requiresSession() {
        return true;
    }

    /**
     * Tells whether the route only works over a WebSocket. Such routes are refused over plain HTTP with
     * {@code bad_request_method}, as SwarmUI does for its {@code ...WS} routes. None of the backend routes are.
     *
     * @return false by default
     */
    default boolean webSocketOnly() {
        return false;
    }

    /**
     * Returns the permission id a session needs, e.g. {@code view_backends_list}.
     *
     * @return the permission id, never null
     */
    String permission();

    /**
     * Runs the route on a worker thread (never an IO thread; blocking is allowed).
     *
     * @param call the request as the route sees it
     * @return the JSON result, sent with HTTP 200; null sends 400 {@code no_result}
     * @throws ApiParameterException or {@link ApiError} for an HTTP 200 {@code {"error": message}}; any other
     *     exception sends 400 {@code internal_error} and is logged with its stack trace
     */
    JsonObject handle(ApiCall call) throws Exception;
}
