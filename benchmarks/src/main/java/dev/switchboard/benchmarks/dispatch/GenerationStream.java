package dev.switchboard.benchmarks.dispatch;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One {@code GenerateText2ImageWS} request of the benchmark, as a SwarmUI master sends it: the request frame, then
 * every message until the server closes. Keeps the time ({@link System#nanoTime()}) of the first message (the
 * status object the route sends once it has read the request, just before it queues the jobs) and of each
 * {@code image} message, so a run can say when each of the request's jobs ended.
 */
final class GenerationStream implements WebSocket.Listener {
    private static final String PNG_DATA_URL = "data:image/png;base64,";

    private final StringBuilder text = new StringBuilder();
    private final List<Long> imageTimes = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private long acceptedAt;

    private GenerationStream() {
    }

    /** Opens the socket on Switchboard at {@code baseUrl} and sends {@code request} (with its session id). */
    static GenerationStream start(HttpClient http, String baseUrl, JsonObject request) throws IOException {
        GenerationStream stream = new GenerationStream();
        try {
            WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(baseUrl.replaceFirst("^http", "ws")
                    + "/API/GenerateText2ImageWS"), stream).get(30, TimeUnit.SECONDS);
            socket.sendText(request.toString(), true).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("cannot send GenerateText2ImageWS to " + baseUrl + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return stream;
    }

    /** Waits until the server closes the socket. */
    void awaitEnd(Duration deadline) throws IOException, InterruptedException {
        try {
            closed.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IOException("the socket broke: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("the request did not end within " + deadline, e);
        }
    }

    /** @return when the first message came (the request was read), or 0 before that */
    synchronized long acceptedAt() {
        return acceptedAt;
    }

    /** @return when each image came, in arrival order */
    synchronized List<Long> imageTimes() {
        return List.copyOf(imageTimes);
    }

    /** @return the {@code error} messages and malformed images, in arrival order */
    synchronized List<String> errors() {
        return List.copyOf(errors);
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(Long.MAX_VALUE);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            long now = System.nanoTime();
            JsonObject message = JsonParser.parseString(text.toString()).getAsJsonObject();
            text.setLength(0);
            synchronized (this) {
                if (acceptedAt == 0) {
                    acceptedAt = now;
                }
                if (message.has("error")) {
                    errors.add(message.get("error").getAsString());
                } else if (message.has("image")) {
                    if (message.get("image").getAsString().startsWith(PNG_DATA_URL)) {
                        imageTimes.add(now);
                    } else {
                        errors.add("an image that is not a PNG data URL");
                    }
                }
            }
        }
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        if (statusCode != WebSocket.NORMAL_CLOSURE) {
            synchronized (this) {
                errors.add("closed with " + statusCode + " " + reason);
            }
        }
        closed.complete(null);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.completeExceptionally(error);
    }
}
