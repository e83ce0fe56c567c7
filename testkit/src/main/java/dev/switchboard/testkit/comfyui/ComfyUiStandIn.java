package dev.switchboard.testkit.comfyui;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small, real HTTP server on the loopback interface that answers like ComfyUI's HTTP API (the shapes,
 * status codes and content types recorded from ComfyUI 0.3.64), with failure modes a test can switch on
 * and off while it runs: refused connections, stalls, slow answers, error statuses, broken JSON and
 * byte-by-byte bodies.
 *
 * <p>Served: {@code GET /object_info}, {@code GET /object_info/<node>}, {@code GET /features},
 * {@code GET /system_stats}, {@code GET /queue}, {@code POST /queue}, {@code POST /free},
 * {@code POST /interrupt}, {@code GET /history}, {@code GET /history/<id>}, {@code POST /history},
 * {@code GET /embeddings}, each also under the {@code /api} prefix; anything else is a 404 with an empty
 * body. Every request is recorded (see {@link #requests()}).
 *
 * <p>Thread-safe. Close it (try-with-resources) to free the port and end every pending exchange.
 */
public final class ComfyUiStandIn implements AutoCloseable {

    private static final int BACKLOG = 50;

    private final NodeCatalog nodes = NodeCatalog.recorded();
    private final HistoryStore history = new HistoryStore();
    private final ComfyUiRoutes routes = new ComfyUiRoutes(nodes, history);
    private final List<RecordedRequest> requests = new ArrayList<>();
    private final AtomicInteger threads = new AtomicInteger();
    private final ExecutorService exchanges = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "comfyui-stand-in-" + threads.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });
    private final Object lock = new Object();

    // All guarded by lock.
    private Behaviour behaviour = new Behaviour.Normal();
    private HttpServer server;
    private int port;
    private int epoch;
    private int held;
    private boolean closed;

    private ComfyUiStandIn() {
    }

    /**
     * Starts a stand-in on a free port of 127.0.0.1.
     *
     * @return the running stand-in
     */
    public static ComfyUiStandIn start() {
        return start(0);
    }

    /**
     * Starts a stand-in on the given port of 127.0.0.1.
     *
     * @param port the port, or 0 for a free one
     * @return the running stand-in
     * @throws UncheckedIOException if the port cannot be bound
     */
    public static ComfyUiStandIn start(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("not a port: " + port);
        }
        ComfyUiStandIn standIn = new ComfyUiStandIn();
        synchronized (standIn.lock) {
            standIn.port = port;
            standIn.listen();
        }
        return standIn;
    }

    /**
     * Returns the address to configure as ComfyUI's address.
     *
     * @return e.g. {@code http://127.0.0.1:41234}, without a trailing slash
     */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /**
     * Returns the port; it stays the same across {@link #refuse()} and {@link #resume()}.
     *
     * @return the port
     */
    public int port() {
        synchronized (lock) {
            return port;
        }
    }

    /**
     * Fills the model option list of a loader node (e.g. {@code CheckpointLoaderSimple}), in whichever of
     * ComfyUI's formats the node uses ({@code [[...], {...}]} or {@code ["COMBO", {"options": [...]}]}).
     *
     * @param loaderNode the node type name; the stand-in must serve it
     * @param names the model names, e.g. {@code sdxl/base.safetensors}
     * @throws IllegalArgumentException if the node is not served or has no option list
     */
    public void setModels(String loaderNode, List<String> names) {
        nodes.setModels(loaderNode, names);
    }

    /**
     * Serves an extra node type (or replaces one), e.g. a custom node such as {@code UnetLoaderGGUF}.
     *
     * @param name the node type name
     * @param entryJson the node entry as ComfyUI's {@code /object_info} shows it (an object with {@code input})
     */
    public void addNode(String name, String entryJson) {
        nodes.add(name, entryJson);
    }

    /**
     * Returns the names of the node types served on {@code /object_info}, in order.
     *
     * @return the names
     */
    public List<String> nodeNames() {
        return nodes.names();
    }

    /**
     * Stores a history entry, served on {@code /history} and {@code /history/<promptId>} until deleted by
     * a {@code POST /history}.
     *
     * @param promptId the prompt id
     * @param entryJson the entry (an object with {@code prompt}, {@code outputs}, {@code status}, ...)
     */
    public void putHistory(String promptId, String entryJson) {
        history.put(promptId, entryJson);
    }

    /**
     * Returns every request received since the start or the last {@link #clearRequests()}, in arrival order.
     *
     * @return an immutable copy
     */
    public List<RecordedRequest> requests() {
        synchronized (lock) {
            return List.copyOf(requests);
        }
    }

    /** Forgets the recorded requests. */
    public void clearRequests() {
        synchronized (lock) {
            requests.clear();
        }
    }

    /**
     * Stops listening: connections to the port are refused, open exchanges are cut. {@link #resume()}
     * listens again on the same port.
     */
    public void refuse() {
        synchronized (lock) {
            checkOpen();
            stopServer();
            lock.notifyAll();
        }
    }

    /** Listens again if refused, and answers normally from now on (releasing stalled exchanges). */
    public void resume() {
        synchronized (lock) {
            checkOpen();
            switchTo(new Behaviour.Normal());
            if (server == null) {
                listen();
            }
        }
    }

    /** Accepts requests and never answers them, until {@link #resume()} or {@link #close()}. */
    public void stall() {
        switchTo(new Behaviour.Stall());
    }

    /**
     * Returns how many requests {@link #stall()} is holding unanswered right now. Each was recorded before it
     * counts here, so a test can wait for a client's call to have arrived and be held, e.g. to know that no
     * other call of a client that makes one at a time is on its way.
     *
     * @return the count
     */
    public int heldRequests() {
        synchronized (lock) {
            return held;
        }
    }

    /**
     * Answers normally, but only after waiting.
     *
     * @param wait how long to wait before each answer
     */
    public void delay(Duration wait) {
        switchTo(new Behaviour.Delay(wait));
    }

    /**
     * Answers every request with this status, with aiohttp's plain-text error body.
     *
     * @param status e.g. 500
     */
    public void failWith(int status) {
        byte[] body = status == 500 ? CannedResponse.serverError().body()
                : (status + " Error").getBytes(StandardCharsets.UTF_8);
        switchTo(new Behaviour.Respond(new CannedResponse(status, CannedResponse.TEXT, body)));
    }

    /** Answers every request with HTTP 200, a JSON content type and a body that is not valid JSON. */
    public void malformedJson() {
        respondWith(200, CannedResponse.JSON, "{\"KSampler\": {\"input\": {\"required\": [<html>oops");
    }

    /**
     * Answers every request with the same response.
     *
     * @param status the HTTP status
     * @param contentType the content type, or null for none
     * @param body the body, sent as UTF-8
     */
    public void respondWith(int status, String contentType, String body) {
        switchTo(new Behaviour.Respond(new CannedResponse(status, contentType,
                requireNonNull(body, "body is null").getBytes(StandardCharsets.UTF_8))));
    }

    /**
     * Sends the normal status and headers at once, then the normal body one byte per interval.
     *
     * @param perByte the pause before each byte
     */
    public void trickle(Duration perByte) {
        switchTo(new Behaviour.Trickle(perByte));
    }

    /** Stops the server and ends every stalled, delayed or trickling exchange promptly. Idempotent. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            stopServer();
            lock.notifyAll();
        }
        exchanges.shutdownNow();
    }

    private void switchTo(Behaviour next) {
        synchronized (lock) {
            checkOpen();
            behaviour = next;
            lock.notifyAll();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the stand-in is closed");
        }
    }

    // Called with lock held.
    private void listen() {
        try {
            HttpServer created = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                    BACKLOG);
            int listeningEpoch = epoch;
            created.createContext("/", exchange -> handle(exchange, listeningEpoch));
            created.setExecutor(exchanges);
            created.start();
            server = created;
            port = created.getAddress().getPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
        }
    }

    // Called with lock held. Bumping the epoch tells exchanges of the stopped server to give up.
    private void stopServer() {
        epoch++;
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    private void handle(HttpExchange exchange, int listeningEpoch) {
        try {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            String query = exchange.getRequestURI().getRawQuery();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Behaviour current;
            synchronized (lock) {
                requests.add(new RecordedRequest(method, path, query == null ? "" : query,
                        exchange.getRequestHeaders(), body));
                current = behaviour;
            }
            respond(exchange, listeningEpoch, current, method, path, body);
        } catch (IOException e) {
            // The client went away or the stand-in cut the connection: nothing left to answer.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            // Closing an exchange that never sent its headers drops the connection, as a dead server would.
            exchange.close();
        }
    }

    private void respond(HttpExchange exchange, int listeningEpoch, Behaviour first, String method, String path,
            String body) throws IOException, InterruptedException {
        Behaviour current = first;
        while (current instanceof Behaviour.Stall) {
            current = awaitChange(current, listeningEpoch);
            if (current == null) {
                return;
            }
        }
        if (current instanceof Behaviour.Respond respond) {
            respond.response().sendTo(exchange);
            return;
        }
        CannedResponse normal = routes.answer(method, path, body);
        if (current instanceof Behaviour.Delay delay) {
            if (!pause(delay.duration(), listeningEpoch)) {
                return;
            }
            normal.sendTo(exchange);
        } else if (current instanceof Behaviour.Trickle trickle) {
            normal.trickleTo(exchange, () -> pause(trickle.perByte(), listeningEpoch));
        } else {
            normal.sendTo(exchange);
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
}
