package dev.switchboard.server.http;

import static java.util.Objects.requireNonNull;

import dev.switchboard.server.sessions.SessionService;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.GracefulShutdownHandler;
import io.undertow.server.handlers.HttpContinueReadHandler;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.SortedSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: SwarmUI's {@code POST /API/<Route>} envelope over Undertow, and a fallback handler for every
 * other path. IO threads only inspect headers and read bodies without blocking; routes run on worker threads.
 */
@Singleton
public final class ApiServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    private static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(5);
    // After the grace period, how long Undertow waits for worker threads before interrupting them.
    private static final int WORKER_STOP_MILLIS = 1_000;
    /**
     * How long a request's line and headers may take to arrive once they have begun. Without it a client that
     * stops in the middle of its headers (slowloris) held the connection forever: Undertow stops the no-request
     * timer below when a request begins, and starts this one only when it is set.
     */
    static final Duration REQUEST_PARSE_TIMEOUT = Duration.ofSeconds(10);
    /**
     * How long a connection may stay open without a request: a new one that sends nothing, and a kept-alive one
     * between requests (Undertow's own default, set here so the bound is ours). Neither timeout limits a request
     * once its headers are in (its body, the route, the answer), nor a connection upgraded away from HTTP (a
     * WebSocket); Undertow's IDLE_TIMEOUT, which would cut every silence on the socket including those, is
     * deliberately not set.
     */
    static final Duration NO_REQUEST_TIMEOUT = Duration.ofSeconds(60);
    private static final HttpHandler NOT_FOUND = exchange -> {
        exchange.setStatusCode(StatusCodes.NOT_FOUND);
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, 0L);
        exchange.endExchange();
    };

    private final HttpOptions options;
    private final ApiEnvelope envelope;
    private final Duration shutdownGrace;
    private final Object lifecycleLock = new Object();
    private volatile HttpHandler fallbackHandler = NOT_FOUND;
    private Undertow undertow;
    private GracefulShutdownHandler gracefulShutdown;
    private volatile int boundPort = -1;
    private boolean closed;

    @Inject
    public ApiServer(HttpOptions options, Set<ApiRoute> routes, SessionService sessions) {
        this(options, routes, sessions, DEFAULT_SHUTDOWN_GRACE);
    }

    ApiServer(HttpOptions options, Set<ApiRoute> routes, SessionService sessions, Duration shutdownGrace) {
        this.options = requireNonNull(options, "options is null");
        this.envelope = new ApiEnvelope(requireNonNull(routes, "routes is null"),
                requireNonNull(sessions, "sessions is null"));
        this.shutdownGrace = requireNonNull(shutdownGrace, "shutdownGrace is null");
    }

    /**
     * Binds the listener and starts serving.
     *
     * @throws IllegalStateException when already started or closed, or when the address cannot be bound (e.g.
     *     the port is taken); the message names the address
     */
    public void start() {
        synchronized (lifecycleLock) {
            if (closed) {
                throw new IllegalStateException("The API server was closed");
            }
            if (undertow != null) {
                throw new IllegalStateException("The API server was already started");
            }
            HttpHandler api = new ApiRequestHandler(envelope, options.maxRequestBytes(), () -> fallbackHandler);
            // Sends 100 Continue when the body is first read, so clients that wait for it are not held up.
            HttpHandler guarded = new AccessGuardHandler(options.host(), options.access(),
                    new HttpContinueReadHandler(api));
            GracefulShutdownHandler graceful = new GracefulShutdownHandler(guarded);
            Undertow server = Undertow.builder()
                    .addHttpListener(options.port(), options.host())
                    .setHandler(graceful)
                    // Bodies over the limit are refused before reading; this stops a body that lies about its size.
                    .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, options.maxRequestBytes())
                    .setServerOption(UndertowOptions.SHUTDOWN_TIMEOUT, WORKER_STOP_MILLIS)
                    .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, (int) REQUEST_PARSE_TIMEOUT.toMillis())
                    .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, (int) NO_REQUEST_TIMEOUT.toMillis())
                    .build();
            try {
                server.start();
            } catch (RuntimeException e) {
                stopQuietly(server);
                throw new IllegalStateException("Cannot listen on " + address() + ": " + rootMessage(e), e);
            }
            undertow = server;
            gracefulShutdown = graceful;
            boundPort = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
            LOG.info("API listening on {}:{}", options.host(), boundPort);
        }
    }

    /**
     * Returns the bound port, which is the chosen one when {@link HttpOptions#port()} is 0.
     *
     * @throws IllegalStateException before {@link #start()}
     */
    public int port() {
        int port = boundPort;
        if (port < 0) {
            throw new IllegalStateException("The API server is not started");
        }
        return port;
    }

    /** @return the canonical names of every route served at {@code /API/<name>}, sorted */
    public SortedSet<String> routeNames() {
        return envelope.routeNames();
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
            if (closed) {
                return;
            }
            closed = true;
            if (undertow == null) {
                return;
            }
            gracefulShutdown.shutdown();
            try {
                if (!gracefulShutdown.awaitShutdown(shutdownGrace.toMillis())) {
                    LOG.warn("API requests still running after {} ms; stopping anyway", shutdownGrace.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            undertow.stop();
            LOG.info("API server stopped");
        }
    }

    private String address() {
        return options.host() + ":" + options.port();
    }

    private static void stopQuietly(Undertow server) {
        try {
            server.stop();
        } catch (RuntimeException e) {
            LOG.debug("Cleaning up after a failed start", e);
        }
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.toString();
    }
}
