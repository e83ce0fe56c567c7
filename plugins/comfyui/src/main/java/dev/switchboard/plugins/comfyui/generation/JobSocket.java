package dev.switchboard.plugins.comfyui.generation;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The WebSocket of one job, as a queue of {@link SocketEvent}s for the job's thread: whole messages (parts joined),
 * the socket's end, and the job's cancellation, in the order they happened. It also tells, without the job's thread,
 * when the followed prompt has ended ({@link #promptEnded()}), which a cancelled job's cleanup waits for after an
 * interrupt. Messages are read as they come (unbounded demand: they only go into this queue), so ComfyUI is never
 * held up. The JDK's client does not always report a connection the server cut (seen on JDK 17: the socket stays in
 * CLOSE_WAIT and no listener method runs), so a job that hears nothing asks with a {@link #ping} whether the socket
 * still lives. Thread-safe.
 */
final class JobSocket implements WebSocket.Listener {
    /** The messages that end a prompt on ComfyUI. */
    private static final Set<String> ENDINGS = Set.of("execution_success", "execution_error", "execution_interrupted");
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(2);
    private static final int ABNORMAL_CLOSURE = 1006;
    private static final byte[] PING = "switchboard".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final BlockingQueue<SocketEvent> events = new LinkedBlockingQueue<>();
    private final CompletableFuture<Void> promptEnded = new CompletableFuture<>();
    private final long maxMessageBytes;
    private final StringBuilder text = new StringBuilder();
    private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
    private volatile String followed;
    private volatile CompletableFuture<Void> heard = new CompletableFuture<>();

    JobSocket(long maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
    }

    /** Follows this prompt for {@link #promptEnded()}. */
    void follow(String promptId) {
        followed = promptId;
    }

    /** @return completes when the followed prompt ended, or the socket did */
    CompletableFuture<Void> promptEnded() {
        return promptEnded;
    }

    /** Waits for the next event. */
    SocketEvent poll(Duration wait) throws InterruptedException {
        return events.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Tells the job's thread that the job was cancelled. */
    void cancel() {
        events.add(new SocketEvent.Cancelled());
    }

    /** Tells the job's thread that the socket was aborted because the connection to ComfyUI was closed. */
    void aborted(String why) {
        end(why);
    }

    /**
     * Pings ComfyUI (which answers with a pong, as any WebSocket server must).
     *
     * @return completes when anything arrives on the socket after the ping; fails when the ping cannot be sent
     */
    CompletableFuture<Void> ping(WebSocket webSocket) {
        CompletableFuture<Void> answer = new CompletableFuture<>();
        heard = answer;
        webSocket.sendPing(ByteBuffer.wrap(PING)).whenComplete((sent, failure) -> {
            if (failure != null) {
                answer.completeExceptionally(failure);
            }
        });
        return answer;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(Long.MAX_VALUE);
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
        heard.complete(null);
        return null;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        heard.complete(null);
        synchronized (text) {
            text.append(data);
            if (text.length() > maxMessageBytes) {
                tooLarge(webSocket);
                return null;
            }
            if (last) {
                String message = text.toString();
                text.setLength(0);
                parse(message);
            }
        }
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        heard.complete(null);
        synchronized (binary) {
            if (binary.size() + (long) data.remaining() > maxMessageBytes) {
                tooLarge(webSocket);
                return null;
            }
            byte[] part = new byte[data.remaining()];
            data.get(part);
            binary.writeBytes(part);
            if (last) {
                events.add(new SocketEvent.Binary(binary.toByteArray()));
                binary.reset();
            }
        }
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        // 1006 is no close frame at all: the connection was cut (ComfyUI died, or the network broke).
        end(statusCode == ABNORMAL_CLOSURE ? "the WebSocket connection was cut without a close frame"
                : "ComfyUI closed the WebSocket (code " + statusCode + (reason == null || reason.isEmpty() ? ""
                        : ", " + reason) + ")");
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        String detail = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        end("the WebSocket broke (" + detail + ")");
    }

    /** Closes a socket politely (a close frame), then cuts it, so it never lingers. */
    static void close(WebSocket socket) {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "").orTimeout(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((sent, failure) -> socket.abort());
    }

    private void parse(String message) {
        JsonElement json;
        try {
            json = JsonParser.parseString(message);
        } catch (JsonParseException e) {
            return;
        }
        if (!json.isJsonObject()) {
            return;
        }
        SocketEvent.Text event = new SocketEvent.Text(json.getAsJsonObject());
        events.add(event);
        String promptId = followed;
        if (promptId != null && endsPrompt(event, promptId)) {
            promptEnded.complete(null);
        }
    }

    private static boolean endsPrompt(SocketEvent.Text event, String promptId) {
        JsonObject data = event.data();
        JsonElement id = data.get("prompt_id");
        if (id == null || !id.isJsonPrimitive() || !id.getAsString().equals(promptId)) {
            return false;
        }
        return ENDINGS.contains(event.type()) || (event.type().equals("executing") && data.has("node")
                && data.get("node").isJsonNull());
    }

    private void tooLarge(WebSocket webSocket) {
        webSocket.abort();
        end("ComfyUI sent a WebSocket message larger than " + (maxMessageBytes >> 20) + " MiB");
    }

    private void end(String why) {
        events.add(new SocketEvent.Ended(why));
        promptEnded.complete(null);
    }
}
