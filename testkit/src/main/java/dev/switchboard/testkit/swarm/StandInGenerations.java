package dev.switchboard.testkit.swarm;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import javax.imageio.ImageIO;

/**
 * The generations of {@link SwarmRemoteStandIn}: one WebSocket conversation or HTTP generation at a time per caller
 * thread, behaving as switched, interruptible per session. Thread-safe.
 */
final class StandInGenerations {
    private static final Duration REQUEST_WAIT = Duration.ofSeconds(60);
    private static final Duration LONGEST_HOLD = Duration.ofMinutes(10);
    private static final int STEPS = 3;

    /** Records a WebSocket request as a call. */
    interface Recorder {
        void record(String route, Map<String, String> headers, JsonObject body);
    }

    /** One generation running, by its session. */
    private record Running(String session, CountDownLatch interrupted) {
    }

    private final Recorder recorder;
    private final List<Running> running = new CopyOnWriteArrayList<>();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger stopped = new AtomicInteger();
    private volatile SwarmRemoteStandIn.Behaviour behaviour = SwarmRemoteStandIn.Behaviour.NORMAL;
    private volatile String failure = "";
    private volatile Duration stepTime = Duration.ofMillis(10);

    StandInGenerations(Recorder recorder) {
        this.recorder = recorder;
    }

    void set(SwarmRemoteStandIn.Behaviour newBehaviour, String newFailure, Duration newStepTime) {
        behaviour = newBehaviour;
        failure = newFailure == null ? "" : newFailure;
        stepTime = newStepTime;
    }

    int open() {
        return open.get();
    }

    int stopped() {
        return stopped.get();
    }

    void interrupt(String session) {
        for (Running generation : running) {
            if (generation.session().equals(session)) {
                generation.interrupted().countDown();
            }
        }
    }

    void close() {
        running.forEach(generation -> generation.interrupted().countDown());
    }

    /** Runs one WebSocket conversation on the calling thread, until it ends. */
    void converse(WebSocketPeer peer, Map<String, String> headers, String path, Predicate<JsonObject> sessionKnown)
            throws IOException {
        open.incrementAndGet();
        try {
            String text = peer.receive(REQUEST_WAIT);
            if (text == null) {
                peer.close(1000);
                return;
            }
            JsonObject request = StandInJson.parse(text);
            recorder.record(path.substring(path.lastIndexOf('/') + 1), headers, request);
            if (!sessionKnown.test(request)) {
                peer.send(StandInJson.invalidSession().toString());
                peer.close(1000);
                peer.awaitEnd(REQUEST_WAIT);
                return;
            }
            Running generation = new Running(StandInJson.text(request.get("session_id")), new CountDownLatch(1));
            running.add(generation);
            try {
                script(peer, request, generation);
            } finally {
                running.remove(generation);
            }
            peer.awaitEnd(REQUEST_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            open.decrementAndGet();
        }
    }

    /** Runs one HTTP generation: its answer. */
    JsonObject overHttp(JsonObject request) {
        Running generation = new Running(StandInJson.text(request.get("session_id")), new CountDownLatch(1));
        running.add(generation);
        try {
            switch (behaviour) {
                case FAIL:
                    return StandInJson.error(failure);
                case HOLD, SILENT, DEAF:
                    if (generation.interrupted().await(LONGEST_HOLD.toMillis(), TimeUnit.MILLISECONDS)) {
                        stopped.incrementAndGet();
                    }
                    return StandInJson.error("Generation session interrupted.");
                case NO_IMAGES:
                    return StandInJson.error("No images were generated (all refused, or failed - check server"
                            + " logs for details).");
                default:
                    JsonArray images = new JsonArray();
                    int count = Math.max(1, request.has("batchsize") ? request.get("batchsize").getAsInt() : 1);
                    for (int i = 0; i < count; i++) {
                        images.add(behaviour == SwarmRemoteStandIn.Behaviour.NOT_DATA_URL ? "View/local/x.png"
                                : dataUrl(request, i));
                    }
                    JsonObject answer = new JsonObject();
                    answer.add("images", images);
                    return answer;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return StandInJson.error("interrupted");
        } finally {
            running.remove(generation);
        }
    }

    private void script(WebSocketPeer peer, JsonObject request, Running generation) throws InterruptedException {
        switch (behaviour) {
            case FAIL -> {
                peer.send(status());
                peer.send(StandInJson.error(failure).toString());
                peer.close(1000);
            }
            case HOLD -> {
                peer.send(status());
                peer.send(progress(0.5, null));
                if (stopsBefore(peer, generation, LONGEST_HOLD)) {
                    peer.send(StandInJson.error("Generation session interrupted.").toString());
                    peer.close(1000);
                }
            }
            case SILENT, DEAF -> {
                peer.answerPings(behaviour == SwarmRemoteStandIn.Behaviour.SILENT);
                stopsBefore(peer, generation, LONGEST_HOLD);
            }
            case DROP -> {
                peer.send(progress(0.5, null));
                peer.drop();
            }
            case NO_IMAGES -> {
                peer.send(status());
                peer.close(1000);
            }
            case NOT_DATA_URL -> {
                peer.send(rawSwarmData(request));
                peer.send(image("View/local/x.png", 0));
                peer.close(1000);
            }
            default -> normally(peer, request, generation);
        }
    }

    private void normally(WebSocketPeer peer, JsonObject request, Running generation) throws InterruptedException {
        peer.send(status());
        for (int step = 1; step <= STEPS; step++) {
            if (stopsBefore(peer, generation, stepTime)) {
                peer.send(StandInJson.error("Generation session interrupted.").toString());
                peer.close(1000);
                return;
            }
            peer.send(progress((double) step / STEPS, step == 2 ? dataUrl(request, 0) : null));
        }
        int count = Math.max(1, request.has("batchsize") ? request.get("batchsize").getAsInt() : 1);
        for (int i = 0; i < count; i++) {
            peer.send(rawSwarmData(request));
            peer.send(image(dataUrl(request, i), i));
        }
        JsonObject keepAlive = new JsonObject();
        keepAlive.addProperty("keep_alive", true);
        peer.send(keepAlive.toString());
        JsonObject discard = new JsonObject();
        discard.add("discard_indices", new JsonArray());
        peer.send(discard.toString());
        peer.send(status());
        peer.close(1000);
    }

    /** Waits; true (and counted) when the session was interrupted or the client went away meanwhile. */
    private boolean stopsBefore(WebSocketPeer peer, Running generation, Duration wait) throws InterruptedException {
        long end = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < end) {
            if (generation.interrupted().await(Math.min(20, Math.max(1, (end - System.nanoTime()) / 1_000_000)),
                    TimeUnit.MILLISECONDS) || peer.ended() || peer.closedByClient()) {
                stopped.incrementAndGet();
                return true;
            }
        }
        return false;
    }

    private static String status() {
        JsonObject status = new JsonObject();
        status.addProperty("waiting_gens", 0);
        status.addProperty("loading_models", 0);
        status.addProperty("waiting_backends", 0);
        status.addProperty("live_gens", 1);
        JsonObject message = new JsonObject();
        message.add("status", status);
        return message.toString();
    }

    private static String progress(double fraction, String preview) {
        JsonObject progress = new JsonObject();
        progress.addProperty("batch_index", "0");
        progress.addProperty("request_id", "1");
        progress.addProperty("overall_percent", fraction);
        progress.addProperty("current_percent", fraction);
        if (preview != null) {
            progress.addProperty("preview", preview);
        }
        JsonObject message = new JsonObject();
        message.add("gen_progress", progress);
        return message.toString();
    }

    private static String rawSwarmData(JsonObject request) {
        JsonArray used = new JsonArray();
        List<String> keys = new ArrayList<>(request.keySet());
        keys.remove("session_id");
        keys.forEach(used::add);
        JsonObject data = new JsonObject();
        data.add("params_used", used);
        JsonObject message = new JsonObject();
        message.add("raw_swarm_data", data);
        return message.toString();
    }

    private static String image(String url, int index) {
        JsonObject message = new JsonObject();
        message.addProperty("image", url);
        message.addProperty("batch_index", Integer.toString(index));
        message.addProperty("request_id", "1");
        message.add("metadata", JsonNull.INSTANCE);
        return message.toString();
    }

    /** A PNG of the requested size, its colour from the seed and the image's index. */
    static String dataUrl(JsonObject request, int index) {
        int width = Math.max(1, Math.min(1024, request.has("width") ? request.get("width").getAsInt() : 64));
        int height = Math.max(1, Math.min(1024, request.has("height") ? request.get("height").getAsInt() : 64));
        long seed = request.has("seed") ? request.get("seed").getAsLong() : 0;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        graphics.setColor(new Color((int) ((seed + index) * 2654435761L) & 0xffffff));
        graphics.fillRect(0, 0, width, height);
        graphics.dispose();
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(png.toByteArray());
    }
}
