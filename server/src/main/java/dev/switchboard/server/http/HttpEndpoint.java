package dev.switchboard.server.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.GracefulShutdownHandler;
import io.undertow.server.handlers.HttpContinueReadHandler;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listening socket and what every request passes on its way to the API: graceful shutdown, the
 * {@link RequestObserver}, the open paths (health probes: no access checks), the access guard (Host, Authorization,
 * Origin, CORS), the guarded paths (e.g. {@code /metrics}), then the application. Until {@link ApiServer} serves
 * the API here, the application answers HTTP 503, so a server that is still starting already answers its probes.
 */
public final class HttpEndpoint implements AutoCloseable {
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
    static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(HttpEndpoint.class);
    // After the grace period, how long Undertow waits for worker threads before interrupting them.
    private static final int WORKER_STOP_MILLIS = 1_000;
    private static final byte[] STARTING_JSON =
            "{\"error_id\":\"starting\",\"error\":\"Switchboard is starting; try again in a moment.\"}".getBytes(UTF_8);
    private static final HttpHandler STARTING = HttpEndpoint::answerStarting;

    private final HttpOptions options;
    private final Duration shutdownGrace;
    private final ObservedRequestHandler observed;
    private final GracefulShutdownHandler graceful;
    private final Object lifecycleLock = new Object();
    private volatile HttpHandler application = STARTING;
    private Undertow undertow;
    private volatile int boundPort = -1;
    private boolean closed;

    /**
     * Prepares an endpoint; nothing listens before {@link #start()}.
     *
     * @param options where to listen and the access rules
     * @param observer told about every answered request
     * @param openPaths handlers for exact paths that skip the access checks (cheap, revealing nothing: probes);
     *     they run on the I/O thread
     * @param guardedPaths handlers for exact paths behind the access checks, served from the start on
     */
    public HttpEndpoint(HttpOptions options, RequestObserver observer, Map<String, HttpHandler> openPaths,
                        Map<String, HttpHandler> guardedPaths) {
        this(options, observer, openPaths, guardedPaths, DEFAULT_SHUTDOWN_GRACE);
    }

    HttpEndpoint(HttpOptions options, RequestObserver observer, Map<String, HttpHandler> openPaths,
                 Map<String, HttpHandler> guardedPaths, Duration shutdownGrace) {
        this.options = requireNonNull(options, "options is null");
        this.shutdownGrace = requireNonNull(shutdownGrace, "shutdownGrace is null");
        HttpHandler app = exchange -> application.handleRequest(exchange);
        // Sends 100 Continue when the body is first read, so clients that wait for it are not held up.
        HttpHandler guarded = new AccessGuardHandler(options.host(), options.access(),
                new HttpContinueReadHandler(exactPaths(Map.copyOf(guardedPaths), app)));
        this.observed = new ObservedRequestHandler(observer, exactPaths(Map.copyOf(openPaths), guarded));
        this.graceful = new GracefulShutdownHandler(observed);
    }

    /**
     * Binds the listener and starts answering (the application with 503 until {@link ApiServer} serves).
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
                throw new IllegalStateException("Cannot listen on " + options.host() + ":" + options.port() + ": "
                        + rootMessage(e), e);
            }
            undertow = server;
            boundPort = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
            LOG.info("HTTP listening on {}:{}", options.host(), boundPort);
        }
    }

    /** @return whether {@link #start()} has bound the listener */
    public boolean started() {
        return boundPort >= 0;
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

    HttpOptions options() {
        return options;
    }

    /** Serves {@code app} behind the checks from now on, with the API's own route labels for the observer. */
    void serve(HttpHandler app, Function<String, String> routeLabels) {
        observed.routeLabels(routeLabels);
        application = requireNonNull(app, "app is null");
    }

    /**
     * Stops accepting requests (new ones get 503), waits up to the grace period (five seconds) for those in
     * flight, then stops. Safe to call more than once, and before {@link #start()}.
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
            graceful.shutdown();
            try {
                if (!graceful.awaitShutdown(shutdownGrace.toMillis())) {
                    LOG.warn("API requests still running after {} ms; stopping anyway", shutdownGrace.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            undertow.stop();
            LOG.info("API server stopped");
        }
    }

    private static HttpHandler exactPaths(Map<String, HttpHandler> paths, HttpHandler next) {
        if (paths.isEmpty()) {
            return next;
        }
        return exchange -> paths.getOrDefault(exchange.getRequestPath(), next).handleRequest(exchange);
    }

    private static void answerStarting(HttpServerExchange exchange) {
        ObservedRequestHandler.outcome(exchange, "starting");
        exchange.setStatusCode(StatusCodes.SERVICE_UNAVAILABLE);
        exchange.getResponseHeaders().put(Headers.RETRY_AFTER, 1);
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        if (!ApiRequestHandler.isApiPath(exchange.getRequestPath())) {
            exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, 0L);
            exchange.endExchange();
            return;
        }
        exchange.setPersistent(false);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, STARTING_JSON.length);
        exchange.getResponseSender().send(ByteBuffer.wrap(STARTING_JSON));
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
