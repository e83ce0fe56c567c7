package dev.switchboard.testkit.comfyui;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small, real ComfyUI on the loopback interface: it answers ComfyUI's HTTP API and WebSocket in the shapes,
 * status codes, content types and message order recorded from ComfyUI 0.3.64, runs prompts, and has failure modes a
 * test can switch on and off while it runs.
 *
 * <p>Served: {@code GET /object_info}, {@code GET /object_info/<node>}, {@code GET /features},
 * {@code GET /system_stats}, {@code POST /prompt}, {@code GET /ws?clientId=<id>} (a WebSocket), {@code GET /queue},
 * {@code POST /queue}, {@code POST /interrupt}, {@code POST /free}, {@code GET /history}, {@code GET /history/<id>},
 * {@code POST /history}, {@code GET /view}, {@code GET /embeddings}, each also under the {@code /api} prefix;
 * anything else is a 404 with an empty body. Every HTTP request is recorded ({@link #requests()}), so is every
 * accepted prompt ({@link #prompts()}) and every text message clients send on the WebSocket
 * ({@link #socketMessages()}).
 *
 * <p>Prompts are validated against the served node types and model lists (an unknown checkpoint gets ComfyUI's
 * HTTP 400 {@code prompt_outputs_failed_validation} with {@code node_errors}) and run one at a time: samplers take
 * {@link #setStepTime} per step and send {@code progress} and a preview frame per step; {@code SaveImage} writes real
 * PNGs (served by {@code /view}), {@code SwarmSaveImageWS} (served only after {@link #serveSwarmSaveImageWs}) sends
 * them over the socket. Images have the size and batch of the graph's {@code EmptyLatentImage} and pixels that follow
 * from the sampler's seed and the image's index. Job failure modes: {@link #failExecutionAt},
 * {@link #dropSocketsAfterSteps}, {@link #stallJobs}, and {@link #refuse()} for a ComfyUI that dies.
 *
 * <p>Thread-safe. Close it (try-with-resources) to free the port and end every pending exchange and job.
 */
public final class ComfyUiStandIn implements AutoCloseable {

    private static final String SWARM_SAVE_IMAGE_WS = "SwarmSaveImageWS";
    private static final String SWARM_SAVE_IMAGE_WS_RESOURCE = "swarm_save_image_ws.json";

    private final NodeCatalog nodes = NodeCatalog.recorded();
    private final HistoryStore history = new HistoryStore();
    private final OutputFiles files = new OutputFiles();
    private final AtomicInteger threads = new AtomicInteger();
    private final ExecutorService exchanges = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "comfyui-stand-in-" + threads.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });
    private final PromptQueue queue;
    private final ClientSockets sockets;
    private final StandInServer server;

    private ComfyUiStandIn() {
        this.queue = new PromptQueue(nodes, history, files);
        this.sockets = queue.sockets();
        this.server = new StandInServer(new ComfyUiRoutes(nodes, history, queue, files), sockets, exchanges);
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
        try {
            standIn.server.start(port);
        } catch (RuntimeException e) {
            standIn.close();
            throw e;
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
        return server.port();
    }

    /**
     * Fills the model option list of a loader node (e.g. {@code CheckpointLoaderSimple}), in whichever of
     * ComfyUI's formats the node uses ({@code [[...], {...}]} or {@code ["COMBO", {"options": [...]}]}). Prompts are
     * validated against these lists.
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
     * Serves SwarmUI's {@code SwarmSaveImageWS} node (as a ComfyUI with SwarmUI's custom nodes does), or stops
     * serving it. Not served by default, like the recorded ComfyUI.
     *
     * @param served whether {@code /object_info} lists it and prompts may use it
     */
    public void serveSwarmSaveImageWs(boolean served) {
        if (!served) {
            nodes.remove(SWARM_SAVE_IMAGE_WS);
            return;
        }
        try (InputStream in = ComfyUiStandIn.class.getResourceAsStream(SWARM_SAVE_IMAGE_WS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + SWARM_SAVE_IMAGE_WS_RESOURCE + " is missing");
            }
            nodes.add(SWARM_SAVE_IMAGE_WS, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
     * Sets how long each sampling step takes (10 ms by default).
     *
     * @param perStep the time per step, zero or more
     */
    public void setStepTime(Duration perStep) {
        queue.setStepTime(requireNonNegative(perStep));
    }

    /**
     * Makes a finished prompt's {@code /history} entry appear only this long after {@code execution_success} and the
     * final {@code executing} were sent, as seen on a real ComfyUI 0.3.64 (zero by default).
     *
     * @param delay the delay, zero or more
     */
    public void setHistoryDelay(Duration delay) {
        queue.setHistoryDelay(requireNonNegative(delay));
    }

    /**
     * Sends previews as PNG (format 2) instead of JPEG (format 1, the default, as with ComfyUI's latent2rgb).
     *
     * @param png whether previews are PNG
     */
    public void sendPngPreviews(boolean png) {
        queue.setPngPreviews(png);
    }

    /**
     * Fails every prompt at its first node of a type: ComfyUI's {@code execution_error} with this exception message,
     * and an error status in its history entry.
     *
     * @param classType the node type, e.g. {@code VAEDecode}
     * @param exceptionMessage the message, e.g. {@code CUDA out of memory}
     */
    public void failExecutionAt(String classType, String exceptionMessage) {
        server.checkOpen();
        queue.setFault(new JobFault.ErrorAt(classType, exceptionMessage));
    }

    /**
     * Cuts every open WebSocket (no close frame) once a prompt has done this many sampling steps; the prompt itself
     * runs on, as on a ComfyUI whose clients went away.
     *
     * @param steps the sampling steps after which to cut, 0 for as soon as a prompt starts
     */
    public void dropSocketsAfterSteps(int steps) {
        server.checkOpen();
        queue.setFault(new JobFault.DropSockets(steps));
    }

    /**
     * Accepts prompts (answering {@code POST /prompt} normally) and then sends nothing about them and never runs them,
     * until {@link #runJobsNormally()}, {@link #resume()} or {@link #close()}.
     */
    public void stallJobs() {
        server.checkOpen();
        queue.setFault(new JobFault.Stall());
    }

    /** Ends every job failure mode; stalled prompts run. */
    public void runJobsNormally() {
        server.checkOpen();
        queue.setFault(new JobFault.None());
    }

    /**
     * Returns every prompt accepted on {@code POST /prompt}, in arrival order.
     *
     * @return an immutable copy
     */
    public List<ReceivedPrompt> prompts() {
        return queue.received();
    }

    /**
     * Returns the most prompts this ComfyUI held at once, running and waiting together: 1 means no prompt ever
     * waited in its queue behind another.
     *
     * @return the high-water mark since the stand-in started
     */
    public int mostPromptsAtOnce() {
        return queue.mostAtOnce();
    }

    /**
     * Returns the most prompts this ComfyUI held unfinished at once: as {@link #mostPromptsAtOnce()}, but a prompt stops
     * counting once its history entry is written (ComfyUI's {@code task_done}) rather than once its last messages are
     * sent too. A client that sends its next prompt only after reading the last one's history always counts 1 here;
     * {@link #mostPromptsAtOnce()} can count 2 for it when the prompt thread is slow to let the ended prompt go.
     *
     * @return the high-water mark since the stand-in started
     */
    public int mostUnfinishedPromptsAtOnce() {
        return queue.mostUnfinished();
    }

    /**
     * Returns the text messages clients sent on their WebSockets, in arrival order.
     *
     * @return an immutable copy
     */
    public List<SocketMessage> socketMessages() {
        return sockets.received();
    }

    /**
     * Returns how many WebSockets are open right now.
     *
     * @return the count
     */
    public int openSockets() {
        return sockets.open();
    }

    /**
     * Returns every request received since the start or the last {@link #clearRequests()}, in arrival order.
     *
     * @return an immutable copy
     */
    public List<RecordedRequest> requests() {
        return server.requests();
    }

    /** Forgets the recorded requests and WebSocket messages. */
    public void clearRequests() {
        server.clearRequests();
        sockets.clearReceived();
    }

    /**
     * Stops listening: connections to the port are refused, open exchanges and WebSockets are cut. {@link #resume()}
     * listens again on the same port.
     */
    public void refuse() {
        server.refuse();
    }

    /** Listens again if refused, and answers and runs prompts normally from now on (releasing stalls). */
    public void resume() {
        server.resume();
        queue.setFault(new JobFault.None());
    }

    /** Accepts requests and never answers them, until {@link #resume()} or {@link #close()}. */
    public void stall() {
        server.switchTo(new Behaviour.Stall());
    }

    /**
     * Returns how many requests {@link #stall()} is holding unanswered right now. Each was recorded before it
     * counts here, so a test can wait for a client's call to have arrived and be held, e.g. to know that no
     * other call of a client that makes one at a time is on its way.
     *
     * @return the count
     */
    public int heldRequests() {
        return server.heldRequests();
    }

    /**
     * Answers normally, but only after waiting.
     *
     * @param wait how long to wait before each answer
     */
    public void delay(Duration wait) {
        server.switchTo(new Behaviour.Delay(wait));
    }

    /**
     * Answers every request with this status, with aiohttp's plain-text error body.
     *
     * @param status e.g. 500
     */
    public void failWith(int status) {
        byte[] body = status == 500 ? CannedResponse.serverError().body()
                : (status + " Error").getBytes(StandardCharsets.UTF_8);
        server.switchTo(new Behaviour.Respond(new CannedResponse(status, CannedResponse.TEXT, body)));
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
        server.switchTo(new Behaviour.Respond(new CannedResponse(status, contentType,
                requireNonNull(body, "body is null").getBytes(StandardCharsets.UTF_8))));
    }

    /**
     * Sends the normal status and headers at once, then the normal body one byte per interval.
     *
     * @param perByte the pause before each byte
     */
    public void trickle(Duration perByte) {
        server.switchTo(new Behaviour.Trickle(perByte));
    }

    /** Stops the server and ends every stalled, delayed or trickling exchange and every job promptly. Idempotent. */
    @Override
    public void close() {
        queue.close();
        server.close();
        exchanges.shutdownNow();
    }

    private static Duration requireNonNegative(Duration value) {
        requireNonNull(value, "value is null");
        if (value.isNegative()) {
            throw new IllegalArgumentException("must not be negative: " + value);
        }
        return value;
    }
}
