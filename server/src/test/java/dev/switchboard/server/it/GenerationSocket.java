package dev.switchboard.server.it;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A client of {@code /API/<Route>WS} over a real WebSocket (the JDK's): sends one request, then collects every
 * message until the server's close frame, as a SwarmUI master does.
 */
final class GenerationSocket implements AutoCloseable {
    /** What {@link #next} returns once the server closed normally. */
    static final JsonObject CLOSED = new JsonObject();

    private final BlockingQueue<JsonObject> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final WebSocket socket;

    private GenerationSocket(String url) {
        StringBuilder text = new StringBuilder();
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(url),
                new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            messages.add(JsonParser.parseString(text.toString()).getAsJsonObject());
                            text.setLength(0);
                        }
                        webSocket.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                        closeCode.complete(statusCode);
                        messages.add(CLOSED);
                        return null;
                    }

                    @Override
                    public void onError(WebSocket webSocket, Throwable error) {
                        closeCode.completeExceptionally(error);
                        messages.add(CLOSED);
                    }
                }).join();
    }

    /** Opens {@code ws://.../API/<route>} on the server at {@code baseUrl} and sends the request. */
    static GenerationSocket open(String baseUrl, String route, String request) {
        GenerationSocket client = new GenerationSocket(baseUrl.replaceFirst("^http", "ws") + "/API/" + route);
        client.socket.sendText(request, true).join();
        return client;
    }

    /** The next message, waiting at most {@code timeout}; {@link #CLOSED} after the close frame. */
    JsonObject next(Duration timeout) throws InterruptedException {
        JsonObject message = messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (message == null) {
            throw new AssertionError("no message within " + timeout);
        }
        return message;
    }

    /** Every message until the server closes, none more than {@code gap} after the one before. */
    List<JsonObject> untilClosed(Duration gap) throws InterruptedException {
        List<JsonObject> all = new ArrayList<>();
        for (JsonObject message = next(gap); message != CLOSED; message = next(gap)) {
            all.add(message);
        }
        return all;
    }

    /** The close code the server sent (1000 for a normal close). */
    int closeCode() throws Exception {
        return closeCode.get(10, TimeUnit.SECONDS);
    }

    /** Drops the connection without a close handshake, as a client that goes away does. */
    void abort() {
        socket.abort();
    }

    @Override
    public void close() {
        socket.abort();
    }
}
