package dev.switchboard.server.http;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.switchboard.server.sessions.Session;
import dev.switchboard.server.sessions.SessionService;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of SwarmUI's API envelope that runs once the body has been read, on a worker thread: parse the
 * body, resolve the session (before the route lookup, so a bad session wins over a bad route), find the
 * route, check the transport and the permission, run the route and turn its outcome into a response.
 */
final class ApiEnvelope {

    static final String SESSION_ID_HEADER = "X-Session-ID";

    private static final Logger LOG = LoggerFactory.getLogger(ApiEnvelope.class);

    private final Map<String, ApiRoute> routesByKey;
    private final SessionService sessions;
    private final AuditTrail audit;

    ApiEnvelope(Collection<ApiRoute> routes, SessionService sessions) {
        this(routes, sessions, ApiAudit.NONE);
    }

    ApiEnvelope(Collection<ApiRoute> routes, SessionService sessions, ApiAudit audit) {
        requireNonNull(routes, "routes is null");
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.audit = new AuditTrail(audit);
        Map<String, ApiRoute> byKey = new HashMap<>();
        for (ApiRoute route : routes) {
            requireNonNull(route.name(), () -> route.getClass().getName() + " has no name");
            requireNonNull(route.permission(), () -> "API route " + route.name() + " has no permission");
            ApiRoute previous = byKey.putIfAbsent(lowerCaseAscii(route.name()), route);
            if (previous != null) {
                throw new IllegalArgumentException("Two API routes have the same name ignoring case: "
                        + previous.name() + " (" + previous.getClass().getName() + ") and "
                        + route.name() + " (" + route.getClass().getName() + ")");
            }
        }
        this.routesByKey = Map.copyOf(byKey);
    }

    /**
     * Tells whether the route for this key is {@link ApiRoute#quick() quick}, so the whole envelope may run
     * on an I/O thread: everything else it does (parse the body, look up the session) never blocks.
     */
    boolean isQuick(String routeKey) {
        ApiRoute route = routesByKey.get(routeKey);
        return route != null && route.quick();
    }

    /** @return the canonical names of the routes served, e.g. {@code ListBackends} */
    SortedSet<String> routeNames() {
        SortedSet<String> names = new TreeSet<>();
        routesByKey.values().forEach(route -> names.add(route.name()));
        return Collections.unmodifiableSortedSet(names);
    }

    /** @return every route served */
    Collection<ApiRoute> routes() {
        return routesByKey.values();
    }

    /**
     * The label of a request path for the request metrics: the canonical name of the route it asks for, {@code
     * unknown} for an {@code /API/} path that names none (the path itself is the client's), {@code other} outside.
     */
    String routeLabel(String path) {
        String key;
        if (ApiRequestHandler.isApiPath(path)) {
            key = lowerCaseAscii(path.substring(ApiRequestHandler.API_PATH_PREFIX.length()));
        } else if (path.equalsIgnoreCase(ApiRequestHandler.LEGACY_TRIGGER_REFRESH)) {
            key = ApiRequestHandler.LEGACY_TRIGGER_REFRESH_KEY;
        } else {
            return RequestObserver.OTHER_PATH;
        }
        ApiRoute route = routesByKey.get(key);
        return route == null ? RequestObserver.UNKNOWN_ROUTE : route.name();
    }

    /**
     * Lower-cases ASCII letters only, as SwarmUI does to request paths; route names are matched in this form.
     */
    static String lowerCaseAscii(String name) {
        int first = 0;
        while (first < name.length() && !isUpperAscii(name.charAt(first))) {
            first++;
        }
        if (first == name.length()) {
            return name;
        }
        StringBuilder key = new StringBuilder(name.length()).append(name, 0, first);
        for (int i = first; i < name.length(); i++) {
            key.append(lowerCaseAscii(name.charAt(i)));
        }
        return key.toString();
    }

    /** An ASCII letter in lower case; every other character as it is. */
    static char lowerCaseAscii(char c) {
        return isUpperAscii(c) ? (char) (c + ('a' - 'A')) : c;
    }

    private static boolean isUpperAscii(char c) {
        return c >= 'A' && c <= 'Z';
    }

    /**
     * Answers one API request.
     *
     * @param routeKey what followed {@code /api/} in the lower-cased path
     * @param body the raw request body
     * @param headers the request headers; handed to the route, not copied
     */
    ApiResponse process(String routeKey, byte[] body, RequestHeaders headers) {
        Checked checked = check(routeKey, body, headers, false);
        return checked.refusal() != null ? checked.refusal() : invoke(checked.route(), checked.call());
    }

    /**
     * Runs one WebSocket conversation: the request is the socket's first message; the same checks as over HTTP
     * (session first, then route, transport and permission), each failure sent as one JSON message, then the
     * route streams its messages; the socket is closed normally at the end whatever happened.
     */
    void processWebSocket(String routeKey, byte[] body, RequestHeaders headers, UndertowApiSocket socket) {
        try {
            Checked checked = check(routeKey, body, headers, true);
            ApiResponse refusal = checked.refusal() != null ? checked.refusal()
                    : invokeWebSocket(checked.route(), checked.call(), socket);
            if (refusal != null) {
                socket.sendRaw(refusal.json());
            }
        } finally {
            socket.close();
        }
    }

    /** The envelope's checks in SwarmUI's order: body, session (before the route), route, transport, permission. */
    private Checked check(String routeKey, byte[] body, RequestHeaders headers, boolean webSocket) {
        JsonObject json;
        try {
            json = JsonBodyParser.parse(body);
        } catch (MalformedBodyException e) {
            LOG.debug("Refused the body of a call to /API/{}: {}", routeKey, e.getMessage());
            return Checked.refused(ApiResponse.internalError());
        }
        ApiRoute route = routesByKey.get(routeKey);
        Session session = null;
        if (route == null || route.requiresSession()) {
            Optional<String> sessionId = sessionIdOf(json, headers);
            if (sessionId.isEmpty()) {
                return Checked.refused(ApiResponse.missingSessionId());
            }
            Optional<Session> found = sessions.find(sessionId.get());
            if (found.isEmpty()) {
                return Checked.refused(ApiResponse.invalidSessionId());
            }
            session = found.get();
        }
        if (route == null) {
            return Checked.refused(webSocket ? ApiResponse.unknownRouteOverWebSocket() : ApiResponse.unknownRoute());
        }
        if (route.webSocketOnly() != webSocket) {
            return Checked.refused(webSocket ? ApiResponse.httpRequired() : ApiResponse.webSocketRequired());
        }
        if (session != null && !session.hasPermission(route.permission())) {
            LOG.warn("Refused {} to user '{}' from {}: the session lacks the permission '{}'", route.name(),
                    session.userId(), headers.address(), route.permission().id());
            if (route.audited()) {
                audit.refused(route, session, json, headers.address());
            }
            return Checked.refused(ApiResponse.lackingPermission());
        }
        return new Checked(route, ApiCall.ofOwned(json, session, headers), null);
    }

    /** Runs a WebSocket route; returns the message to send before the close, or null. */
    private static ApiResponse invokeWebSocket(ApiRoute route, ApiCall call, UndertowApiSocket socket) {
        try {
            route.handleWebSocket(call, socket);
            return null;
        } catch (ApiError e) {
            return ApiResponse.routeError(e);
        } catch (ApiParameterException e) {
            return ApiResponse.routeError(e.getMessage());
        } catch (Throwable e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.error("WebSocket route {} failed", route.name(), e);
            return ApiResponse.internalError();
        }
    }

    /** What the checks found: the route and call to run, or the refusal to send instead. */
    private record Checked(ApiRoute route, ApiCall call, ApiResponse refusal) {
        static Checked refused(ApiResponse refusal) {
            return new Checked(null, null, refusal);
        }
    }

    /** The body's {@code session_id} as text; the header only when the body has no such key at all. */
    private static Optional<String> sessionIdOf(JsonObject json, RequestHeaders headers) {
        JsonElement fromBody = json.get(ApiCall.SESSION_ID_KEY);
        if (fromBody != null) {
            return Optional.of(TokenText.of(fromBody));
        }
        return Optional.ofNullable(headers.first(SESSION_ID_HEADER));
    }

    private ApiResponse invoke(ApiRoute route, ApiCall call) {
        ApiResponse response = run(route, call);
        if (route.audited()) {
            audit.ran(route, call, response);
        }
        return response;
    }

    private static ApiResponse run(ApiRoute route, ApiCall call) {
        try {
            JsonText result = route.handleToJson(call);
            if (result == null) {
                return ApiResponse.noResult();
            }
            return ApiResponse.ok(result).withHeaders(call.responseHeaders());
        } catch (ApiError e) {
            return ApiResponse.routeError(e).withHeaders(call.responseHeaders());
        } catch (ApiParameterException e) {
            return ApiResponse.routeError(e.getMessage()).withHeaders(call.responseHeaders());
        } catch (Throwable e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            // The client only learns that something failed; the details stay in the log.
            LOG.error("API route {} failed", route.name(), e);
            return ApiResponse.internalError();
        }
    }
}
