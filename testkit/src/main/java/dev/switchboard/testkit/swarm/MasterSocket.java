package dev.switchboard.testkit.swarm;

import com.google.gson.JsonObject;
import java.net.URI;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One generation over {@code GenerateText2ImageWS} as a master's child runs it (generation.md 1.4): connect with the
 * master's headers, send the request as one text frame, then loop — InterruptAll first while interrupted, receive
 * one whole message, handle it by its first matching key — until the remote closes the socket.
 */
final class MasterSocket {
    private static final String ROUTE = "GenerateText2ImageWS";
    /** What the JDK reports for a connection that ended without a close frame. */
    private static final int DROPPED = 1006;
    private static final Duration PING_EVERY = Duration.ofSeconds(1);

    private final MasterSimulator master;
    private final MasterSession session;
    private final JsonObject request;
    private final Predicate<JsonObject> interruptAfter;
    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private WebSocket socket;

    MasterSocket(MasterSimulator master, MasterSession session, JsonObject request,
                 Predicate<JsonObject> interruptAfter) {
        this.master = master;
        this.session = session;
        this.request = request;
        this.interruptAfter = interruptAfter;
    }

    MasterGeneration run() {
        String url = (master.address().startsWith("http://") ? "ws://" + master.address().substring(7)
                : "wss://" + master.address().replaceFirst("^[a-zA-Z]+://", "")) + "/API/" + ROUTE;
        WebSocket.Builder builder = master.http().newWebSocketBuilder();
        master.headers().forEach(builder::header);
        master.logged("WS /API/" + ROUTE);
        socket = builder.buildAsync(URI.create(url), new Collector()).join();
        try {
            socket.sendText(request.toString(), true).join();
            return receive();
        } finally {
            socket.abort();
        }
    }

    private MasterGeneration receive() {
        List<JsonObject> messages = new ArrayList<>();
        List<MasterGeneration.Image> images = new ArrayList<>();
        Set<String> used = new LinkedHashSet<>();
        boolean awaitingSwarmData = master.version() == MasterSimulator.Version.CUR;
        boolean swarmDataPending = false;
        boolean interrupted = false;
        long interruptedAt = 0;
        int interrupts = 0;
        long last = System.nanoTime();
        long longestGap = 0;
        while (true) {
            if (interrupted) {
                JsonObject params = new JsonObject();
                params.addProperty("session_id", session.id());
                params.addProperty("other_sessions", false);
                MasterJson.object("InterruptAll", master.post("/API/InterruptAll", params));
                interrupts++;
            }
            Duration wait = MasterSimulator.LONGEST_SILENCE;
            if (interrupted) {
                Duration left = master.interruptPromptness().minusNanos(System.nanoTime() - interruptedAt);
                wait = left.isNegative() ? Duration.ofMillis(1) : left.compareTo(wait) < 0 ? left : wait;
            }
            Object event = poll(wait, interrupted);
            long now = System.nanoTime();
            longestGap = Math.max(longestGap, now - last);
            last = now;
            if (interrupted && Duration.ofNanos(now - interruptedAt).compareTo(master.interruptPromptness()) > 0) {
                throw new MasterRejection(ROUTE + ": the stream went on for more than " + master.interruptPromptness()
                        + " after the master's InterruptAll");
            }
            if (event instanceof Throwable failure) {
                throw new MasterRejection(ROUTE + ": the connection failed without a close frame (" + failure
                        + "); a master fails the job with 'Something went wrong while generating images.'");
            }
            if (event instanceof Integer code) {
                if (code == DROPPED) {
                    throw new MasterRejection(ROUTE + ": the connection ended without a close frame; a master fails"
                            + " the job with 'Something went wrong while generating images.'");
                }
                String error = images.isEmpty() ? interrupted ? "Generation session interrupted."
                        : "No images were generated (all refused, or failed - check server logs for details)." : null;
                return result(messages, images, used, error, code, interrupts, interrupted ? now - interruptedAt : -1,
                        longestGap);
            }
            String text = (String) event;
            if (text.isBlank()) {
                continue;
            }
            JsonObject message = MasterJson.object(ROUTE + " message", text);
            messages.add(message);
            if (MasterJson.invalidSession(message)) {
                return new MasterGeneration(request, messages, images, used, null, -1, interrupts, null,
                        Duration.ofNanos(longestGap), true);
            }
            String error = MasterJson.error(message);
            if (error != null) {
                // The master's loop ends with the failure; it closes its side.
                return result(messages, images, used, error, -1, interrupts, interrupted ? now - interruptedAt : -1,
                        longestGap);
            }
            if (message.has("gen_progress")) {
                MasterJson.objectField(ROUTE + " gen_progress", message, "gen_progress");
            } else if (message.has("image")) {
                if (awaitingSwarmData && !swarmDataPending) {
                    throw new MasterRejection(ROUTE + ": an image without raw_swarm_data before it; the master would"
                            + " move every parameter it did not read itself into unused_parameters");
                }
                swarmDataPending = false;
                images.add(MasterGeneration.decode(ROUTE + " image", message.get("image")));
            } else if (message.has("raw_swarm_data")) {
                JsonObject data = MasterJson.objectField(ROUTE, message, "raw_swarm_data");
                used.addAll(MasterJson.strings(ROUTE + " raw_swarm_data", data, "params_used"));
                swarmDataPending = true;
            }
            if (!interrupted && interruptAfter.test(message)) {
                interrupted = true;
                interruptedAt = System.nanoTime();
            }
        }
    }

    private MasterGeneration result(List<JsonObject> messages, List<MasterGeneration.Image> images, Set<String> used,
                                    String error, int closeCode, int interrupts, long interruptNanos, long gap) {
        return new MasterGeneration(request, messages, images, used, error, closeCode, interrupts,
                interruptNanos < 0 ? null : Duration.ofNanos(interruptNanos), Duration.ofNanos(gap), false);
    }

    /**
     * The next event; a master waits as long as it takes, so a remote must send something within 30 s, and end the
     * stream promptly once interrupted.
     */
    private Object poll(Duration wait, boolean interrupted) {
        try {
            long end = System.nanoTime() + wait.toNanos();
            Object event = null;
            while (event == null && System.nanoTime() < end) {
                event = events.poll(Math.max(1, Math.min(PING_EVERY.toMillis(), (end - System.nanoTime()) / 1_000_000)),
                        TimeUnit.MILLISECONDS);
                if (event == null) {
                    // A master pings too (every 30 s); more often here, to see a dropped connection soon: the JDK does
                    // not always report one that closes right after a message, but a ping on it fails.
                    socket.sendPing(ByteBuffer.allocate(0)).whenComplete((ignored, failure) -> {
                        if (failure != null) {
                            events.add(failure);
                        }
                    });
                }
            }
            if (event == null && interrupted) {
                throw new MasterRejection(ROUTE + ": the stream did not end within " + master.interruptPromptness()
                        + " of the master's InterruptAll");
            }
            if (event == null) {
                throw new MasterRejection(ROUTE + ": no message for " + MasterSimulator.LONGEST_SILENCE.toSeconds()
                        + " s; a master sees an interrupt only between messages and has no timeout of its own");
            }
            return event;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the remote", e);
        }
    }

    /** Whole text messages, the close code, or the failure, in order. */
    private final class Collector implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                events.add(text.toString());
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            events.add(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            events.add(error);
        }
    }
}
