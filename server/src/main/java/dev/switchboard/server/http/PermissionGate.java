package dev.switchboard.server.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.google.gson.JsonObject;
import dev.switchboard.server.sessions.CallerResolver;
import dev.switchboard.server.sessions.Credentials;
import dev.switchboard.server.sessions.Identity;
import dev.switchboard.server.sessions.InvalidCredentialsException;
import dev.switchboard.server.sessions.Permission;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.StatusCodes;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guards a path outside the API ({@code /metrics}, {@code /openapi.json}) by a permission: the caller is
 * identified by an API key or login cookie. Without accounts every caller is the local user and passes; with
 * accounts an anonymous caller gets 401 and one lacking the permission 403, each with a JSON error. Until the
 * accounts are loaded (the first second of a start) the path answers 503.
 */
public final class PermissionGate implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(PermissionGate.class);

    private final Permission permission;
    private final Supplier<CallerResolver> callers;
    private final HttpHandler next;

    /**
     * @param permission what the caller must hold
     * @param callers the resolver, or null while it is not ready yet
     * @param next the guarded handler
     */
    public PermissionGate(Permission permission, Supplier<CallerResolver> callers, HttpHandler next) {
        this.permission = requireNonNull(permission, "permission is null");
        this.callers = requireNonNull(callers, "callers is null");
        this.next = requireNonNull(next, "next is null");
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        CallerResolver resolver = callers.get();
        if (resolver == null) {
            refuse(exchange, StatusCodes.SERVICE_UNAVAILABLE, "The server is starting; try again in a moment.");
            return;
        }
        Credentials credentials = ExchangeCredentials.of(exchange);
        Identity caller;
        try {
            caller = resolver.resolve(credentials);
        } catch (InvalidCredentialsException e) {
            refuse(exchange, StatusCodes.UNAUTHORIZED, e.getMessage());
            return;
        }
        if (caller.anonymous()) {
            refuse(exchange, StatusCodes.UNAUTHORIZED, "Log in, or send an API key as 'Authorization: Bearer <key>'.");
            return;
        }
        if (!caller.has(permission)) {
            LOG.warn("Refused {} to user '{}' from {}: lacks the permission '{}'", exchange.getRequestPath(),
                    caller.user(), credentials.address(), permission.id());
            refuse(exchange, StatusCodes.FORBIDDEN, "You do not have the permission '" + permission.id() + "'.");
            return;
        }
        next.handleRequest(exchange);
    }

    private static void refuse(HttpServerExchange exchange, int status, String message) {
        JsonObject body = new JsonObject();
        body.addProperty("error", message);
        exchange.setStatusCode(status);
        GetOnlyResponses.send(exchange, "application/json", "no-store", ApiJson.write(body).getBytes(UTF_8));
    }
}
