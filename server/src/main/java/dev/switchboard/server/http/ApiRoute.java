package dev.switchboard.server.http;

import com.google.gson.JsonObject;
import dev.switchboard.server.sessions.Permission;

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
     * Tells whether {@link #handle(ApiCall)} is quick: it never blocks (no I/O, no plugin calls, no waiting on
     * locks that are held across slow work) and does little work, so the server may run it on the I/O thread
     * that read the request instead of handing it to a worker thread, which on a busy machine costs more
     * than such a route itself.
     *
     * @return false by default
     */
    default boolean quick() {
        return false;
    }

    /**
     * Runs a WebSocket-only route ({@link #webSocketOnly()}): the request came as the socket's first message and
     * passed the envelope's checks; the route streams its messages through {@code socket} and returns when it is
     * done, after which the envelope closes the socket normally. Runs on a worker thread; blocking is allowed.
     *
     * @param call the request as the route sees it
     * @param socket where the route's messages go
     * @throws ApiParameterException or {@link ApiError} to send {@code {"error": message}} before the close; any
     *     other exception sends SwarmUI's internal error and is logged
     */
    default void handleWebSocket(ApiCall call, ApiSocket socket) throws Exception {
        throw new UnsupportedOperationException(name() + " has no WebSocket form");
    }

    /**
     * Tells whether calls are recorded in the audit log ({@link ApiAudit}): routes that change backends or
     * accounts, and logins. The envelope records each call after it ran and each refusal for lack of the permission;
     * the target is the request's {@code backend_id}, {@code backend}, {@code id}, {@code name}, {@code username}
     * or {@code model}, or what the route set with {@link ApiCall#auditTarget(String)}.
     *
     * @return false by default
     */
    default boolean audited() {
        return false;
    }

    /**
     * Returns the permission a session needs, from the catalog; routes that need no session answer
     * {@link Permission#PUBLIC}.
     *
     * @return the permission, never null
     */
    Permission permission();

    /**
     * Returns what the route documents about itself: summary, parameters and answer fields, from which
     * {@code /openapi.json} and {@code docs/api.md} are generated. Every registered route overrides it (a test
     * checks); the default documents nothing.
     *
     * @return the doc, never null
     */
    default RouteDoc doc() {
        return RouteDoc.NONE;
    }

    /**
     * Runs the route on a worker thread (never an IO thread; blocking is allowed).
     *
     * @param call the request as the route sees it
     * @return the JSON result, sent with HTTP 200; null sends 400 {@code no_result}
     * @throws ApiParameterException or {@link ApiError} for an HTTP 200 {@code {"error": message}}; any other
     *     exception sends 400 {@code internal_error} and is logged with its stack trace
     */
    JsonObject handle(ApiCall call) throws Exception;

    /**
     * Runs the route like {@link #handle(ApiCall)} and returns its result already written as compact JSON
     * text; this is what the envelope calls. Routes that keep their answer pre-rendered override it, and must
     * return exactly {@code ApiJson.write(handle(call))}; the default does just that.
     *
     * @param call the request as the route sees it
     * @return the JSON object text, or null for no result
     * @throws Exception as {@link #handle(ApiCall)}
     */
    default JsonText handleToJson(ApiCall call) throws Exception {
        JsonObject result = handle(call);
        return result == null ? null : JsonText.of(ApiJson.write(result));
    }
}
