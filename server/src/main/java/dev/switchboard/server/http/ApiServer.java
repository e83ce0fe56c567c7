package dev.switchboard.server.http;

import static java.util.Objects.requireNonNull;

import dev.switchboard.server.sessions.SessionService;
import io.undertow.server.HttpHandler;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;

/**
 * The HTTP server: SwarmUI's {@code POST /API/<Route>} envelope over Undertow, and a fallback handler for every
 * other path. IO threads only inspect headers and read bodies without blocking; routes run on worker threads.
 * It serves on an {@link HttpEndpoint}: its own, or one the server bound earlier to answer probes while starting.
 */
@Singleton
public final class ApiServer implements AutoCloseable {

    private static final HttpHandler NOT_FOUND = exchange -> {
        exchange.setStatusCode(StatusCodes.NOT_FOUND);
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, 0L);
        exchange.endExchange();
    };

    private final HttpEndpoint endpoint;
    private final ApiEnvelope envelope;
    private final Object lifecycleLock = new Object();
    private volatile HttpHandler fallbackHandler = NOT_FOUND;
    private boolean started;
    private boolean closed;

    /**
     * Serves on {@code endpoint}, which {@link #start()} binds unless it is bound already; closing closes it. The
     * calls of audited routes are recorded in {@code audit}.
     */
    @Inject
    public ApiServer(HttpEndpoint endpoint, Set<ApiRoute> routes, SessionService sessions, ApiAudit audit) {
        this.endpoint = requireNonNull(endpoint, "endpoint is null");
        this.envelope = new ApiEnvelope(requireNonNull(routes, "routes is null"),
                requireNonNull(sessions, "sessions is null"), requireNonNull(audit, "audit is null"));
    }

    /** Serves on {@code endpoint} and audits nothing. */
    public ApiServer(HttpEndpoint endpoint, Set<ApiRoute> routes, SessionService sessions) {
        this(endpoint, routes, sessions, ApiAudit.NONE);
    }

    /** Serves on an endpoint of its own with no observer and no extra paths, recording audited calls in audit. */
    public ApiServer(HttpOptions options, Set<ApiRoute> routes, SessionService sessions, ApiAudit audit) {
        this(new HttpEndpoint(options, RequestObserver.NONE, Map.of(), Map.of(), HttpEndpoint.DEFAULT_SHUTDOWN_GRACE),
                routes, sessions, audit);
    }

    /** Serves on an endpoint of its own, with no observer and no extra paths. */
    public ApiServer(HttpOptions options, Set<ApiRoute> routes, SessionService sessions) {
        this(options, routes, sessions, HttpEndpoint.DEFAULT_SHUTDOWN_GRACE);
    }

    ApiServer(HttpOptions options, Set<ApiRoute> routes, SessionService sessions, Duration shutdownGrace) {
        this(new HttpEndpoint(options, RequestObserver.NONE, Map.of(), Map.of(), shutdownGrace), routes, sessions);
    }

    /**
     * Binds the listener unless the endpoint is bound already, and starts serving the API on it.
     *
     * @throws IllegalStateException when already started or closed, or when the address cannot be bound (e.g.
     *     the port is taken); the message names the address
     */
    public void start() {
        synchronized (lifecycleLock) {
            if (closed) {
                throw new IllegalStateException("The API server was closed");
            }
            if (started) {
                throw new IllegalStateException("The API server was already started");
            }
            if (!endpoint.started()) {
                endpoint.start();
            }
            started = true;
            endpoint.serve(new ApiRequestHandler(envelope, endpoint.options().maxRequestBytes(),
                    () -> fallbackHandler), envelope::routeLabel);
        }
    }

    /**
     * Returns the bound port, which is the chosen one when {@link HttpOptions#port()} is 0.
     *
     * @throws IllegalStateException before {@link #start()}
     */
    public int port() {
        return endpoint.port();
    }

    /** @return the canonical names of every route served at {@code /API/<name>}, sorted */
    public SortedSet<String> routeNames() {
        return envelope.routeNames();
    }

    /** @return every route served, in no particular order */
    public Collection<ApiRoute> routes() {
        return envelope.routes();
    }

    /**
     * Sets the handler for every path that does not start with {@code /API/} (any case). It runs on an IO
     * thread and must dispatch before blocking. The default answers 404 with an empty body.
     */
    public void setFallbackHandler(HttpHandler handler) {
        this.fallbackHandler = requireNonNull(handler, "handler is null");
    }

    /**
     * Stops accepting requests (new ones get 503), waits up to five seconds for those in flight, then stops.
     * Safe to call more than once, and before {@link #start()}.
     */
    @Override
    public void close() {
        synchronized (lifecycleLock) {
            closed = true;
        }
        endpoint.close();
    }
}
