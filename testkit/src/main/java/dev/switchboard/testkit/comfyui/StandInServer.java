package dev.switchboard.testkit.comfyui;

import static java.util.Objects.requireNonNull;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.websockets.WebSocketConnectionCallback;
import io.undertow.websockets.WebSocketProtocolHandshakeHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.xnio.IoUtils;
import org.xnio.Options;

/**
 * The stand-in's listening side: an Undertow server on 127.0.0.1 that records every request, applies the
 * {@link Behaviour} a test switched on (stall, delay, trickle, canned answers) and otherwise answers through
 * {@link ComfyUiRoutes}; {@code GET /ws} (and {@code /api/ws}) upgrades to ComfyUI's WebSocket. Undertow rather than
 * the JDK's HttpServer because ComfyUI serves HTTP and its WebSocket on one port, and the JDK's server cannot
 * upgrade a connection. Requests are answered on the stand-in's own threads, so a stalled one holds no I/O thread.
 * Thread-safe.
 */
final class StandInServer implements AutoCloseable {
    private static final int SHUTDOWN_MILLIS = 5_000;

    private final ComfyUiRoutes routes;
    private final HttpHandler webSockets;
    private final ExecutorService exchanges;
    private final Object lock = new Object();

    // All guarded by lock.
    private final List<RecordedRequest> requests = new ArrayList<>();
    private Behaviour behaviour = new Behaviour.Normal();
    private Undertow server;
    private int port;
    private int epoch;
    private int held;
    private boolean closed;

    StandInServer(ComfyUiRoutes routes, WebSocketConnectionCallback sockets, ExecutorService exchanges) {
        this.routes = requireNonNull(routes, "routes is null");
        this.webSockets = new WebSocketProtocolHandshakeHandler(requireNonNull(sockets, "sockets is null"));
        this.exchanges = requireNonNull(exchanges, "exchanges is null");
    }

    /** Listens on the port (0 for a free one); called once, before the stand-in is handed out. */
    void start(int wanted) {
        synchronized (lock) {
            port = wanted;
            listen();
        }
    }

    int port() {
        synchronized (lock) {
            return port;
        }
    }

    List<RecordedRequest> requests() {
        synchronized (lock) {
            return List.copyOf(requests);
        }
    }

    void clearRequests() {
        synchronized (lock) {
            requests.clear();
        }
    }

    int heldRequests() {
        synchronized (lock) {
            return held;
        }
    }

    /** Stops listening and cuts every open exchange and WebSocket; {@link #resume()} listens again. */
    void refuse() {
        Undertow stopped;
        synchronized (lock) {
            checkOpen();
            stopped = detach();
            lock.notifyAll();
        }
        stop(stopped);
    }

    /** Listens again if refused, and answers normally from now on (releasing stalled exchanges). */
    void resume() {
        synchronized (lock) {
            checkOpen();
            behaviour = new Behaviour.Normal();
            lock.notifyAll();
            if (server == null) {
                listen();
            }
        }
    }

    void switchTo(Behaviour next) {
        synchronized (lock) {
            checkOpen();
            behaviour = requireNonNull(next, "next is null");
            lock.notifyAll();
        }
    }

    void checkOpen() {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the stand-in is closed");
            }
        }
    }

    @Override
    public void close() {
        Undertow stopped;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            stopped = detach();
            lock.notifyAll();
        }
        stop(stopped);
    }

    // Called with lock held.
    private void listen() {
        int listeningEpoch = epoch;
        Undertow created = Undertow.builder()
                .addHttpListener(port, "127.0.0.1")
                .setIoThreads(1)
                .setWorkerThreads(1)
                // Named and daemon, so tests that look for leftover threads can tell them apart and the JVM can end.
                .setWorkerOption(Options.WORKER_NAME, "comfyui-stand-in-xnio")
                .setWorkerOption(Options.THREAD_DAEMON, true)
                .setSocketOption(Options.REUSE_ADDRESSES, true)
                .setServerOption(UndertowOptions.SHUTDOWN_TIMEOUT, SHUTDOWN_MILLIS)
                .setHandler(exchange -> handle(exchange, listeningEpoch))
                .build();
        try {
            created.start();
        } catch (RuntimeException e) {
            created.stop();
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port,
                    e.getCause() instanceof IOException io ? io : new IOException(e));
        }
        server = created;
        port = ((InetSocketAddress) created.getListenerInfo().get(0).getAddress()).getPort();
    }

    // Called with lock held. Bumping the epoch tells exchanges of the stopped server to give up.
    private Undertow detach() {
        epoch++;
        Undertow stopped = server;
        server = null;
        return stopped;
    }

    // Never called with lock held: stopping waits for the I/O thread, which may be waiting for the lock.
    private static void stop(Undertow stopped) {
        if (stopped != null) {
            stopped.stop();
        }
    }

    private void handle(HttpServerExchange exchange, int listeningEpoch) {
        if (isWebSocketUpgrade(exchange)) {
            Behaviour current = record(exchange, "");
            if (current instanceof Behaviour.Normal) {
                openSocket(exchange);
                return;
            }
            if (current instanceof Behaviour.Delay delay) {
                exchange.dispatch(exchanges, () -> {
                    try {
                        if (pause(delay.duration(), listeningEpoch)) {
                            openSocket(exchange);
                            return;
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    IoUtils.safeClose(exchange.getConnection());
                });
                return;
            }
            exchange.dispatch(exchanges, (HttpHandler) dispatched -> {
                dispatched.startBlocking();
                answer(dispatched, listeningEpoch, current, "");
            });
            return;
        }
        exchange.dispatch(exchanges, (HttpHandler) dispatched -> {
            dispatched.startBlocking();
            String body;
            try {
                body = new String(dispatched.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return;
            }
            answer(dispatched, listeningEpoch, record(dispatched, body), body);
        });
    }

    private void openSocket(HttpServerExchange exchange) {
        try {
            webSockets.handleRequest(exchange);
        } catch (Exception e) {
            IoUtils.safeClose(exchange.getConnection());
        }
    }

    private void answer(HttpServerExchange exchange, int listeningEpoch, Behaviour first, String body) {
        try {
            if (!respond(exchange, listeningEpoch, first, body)) {
                // Cutting an exchange that never sent its headers drops the connection, as a dead server would.
                IoUtils.safeClose(exchange.getConnection());
            }
        } catch (IOException e) {
            // The client went away or the stand-in cut the connection: nothing left to answer.
            IoUtils.safeClose(exchange.getConnection());
        } catch (InterruptedException e) {
            IoUtils.safeClose(exchange.getConnection());
            Thread.currentThread().interrupt();
        }
    }

    /** Answers; returns false when the exchange must be dropped instead (server stopped or closed). */
    private boolean respond(HttpServerExchange exchange, int listeningEpoch, Behaviour first, String body)
            throws IOException, InterruptedException {
        Behaviour current = first;
        while (current instanceof Behaviour.Stall) {
            current = awaitChange(current, listeningEpoch);
            if (current == null) {
                return false;
            }
        }
        if (current instanceof Behaviour.Respond respond) {
            respond.response().sendTo(exchange);
            return true;
        }
        CannedResponse normal = routes.answer(exchange.getRequestMethod().toString(), exchange.getRequestPath(),
                exchange.getQueryString(), body);
        if (current instanceof Behaviour.Delay delay) {
            if (!pause(delay.duration(), listeningEpoch)) {
                return false;
            }
            normal.sendTo(exchange);
        } else if (current instanceof Behaviour.Trickle trickle) {
            normal.trickleTo(exchange, () -> pause(trickle.perByte(), listeningEpoch));
        } else {
            normal.sendTo(exchange);
        }
        return true;
    }

    private Behaviour record(HttpServerExchange exchange, String body) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (HeaderValues values : exchange.getRequestHeaders()) {
            headers.put(values.getHeaderName().toString(), List.copyOf(values));
        }
        RecordedRequest request = new RecordedRequest(exchange.getRequestMethod().toString(),
                exchange.getRequestPath(), exchange.getQueryString(), headers, body);
        synchronized (lock) {
            requests.add(request);
            return behaviour;
        }
    }

    /**
     * Waits until the behaviour is no longer {@code current}.
     *
     * @return the behaviour to use now, or null when the exchange must be dropped (server stopped or closed)
     */
    private Behaviour awaitChange(Behaviour current, int listeningEpoch) throws InterruptedException {
        synchronized (lock) {
            held++;
            try {
                while (!closed && epoch == listeningEpoch && behaviour == current) {
                    lock.wait();
                }
                return closed || epoch != listeningEpoch ? null : behaviour;
            } finally {
                held--;
            }
        }
    }

    /** Sleeps for {@code wait}, unless the server stops first; returns whether to go on answering. */
    private boolean pause(Duration wait, int listeningEpoch) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (lock) {
            while (!closed && epoch == listeningEpoch) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return true;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return false;
        }
    }

    private static boolean isWebSocketUpgrade(HttpServerExchange exchange) {
        String path = ComfyUiRoutes.withoutApiPrefix(exchange.getRequestPath());
        String upgrade = exchange.getRequestHeaders().getFirst(Headers.UPGRADE);
        return path.equals("/ws") && exchange.getRequestMethod().toString().equals("GET") && upgrade != null
                && upgrade.toLowerCase(Locale.ROOT).contains("websocket");
    }
}
