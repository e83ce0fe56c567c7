package dev.switchboard.server.it.swarm;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An API client's {@code GenerateText2ImageWS} over a real WebSocket (the JDK's): one request, then every message
 * until the server's close frame.
 */
final class ClientSocket implements AutoCloseable {
    private static final Object CLOSED = new Object();

    private final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
    private final WebSocket socket;
    private volatile int closeCode = -1;

    private ClientSocket(String baseUrl, Map<String, String> headers, String request) {
        StringBuilder text = new StringBuilder();
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
        headers.forEach(builder::header);
        socket = builder.buildAsync(URI.create(baseUrl.replaceFirst("^http", "ws") + "/API/GenerateText2ImageWS"),
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
                        closeCode = statusCode;
                        messages.add(CLOSED);
                        return null;
                    }

                    @Override
                    public void onError(WebSocket webSocket, Throwable error) {
                        messages.add(CLOSED);
                    }
                }).join();
        socket.sendText(request, true).join();
    }

    /** Opens the socket on the server at {@code baseUrl} and sends {@code request}. */
    static ClientSocket open(String baseUrl, Map<String, String> headers, String request) {
        return new ClientSocket(baseUrl, headers, request);
    }

    /** Every message until the server closes, none more than {@code gap} after the one before. */
    List<JsonObject> untilClosed(Duration gap) throws InterruptedException {
        List<JsonObject> all = new ArrayList<>();
        while (true) {
            Object message = messages.poll(gap.toMillis(), TimeUnit.MILLISECONDS);
            if (message == null) {
                throw new AssertionError("no message within " + gap + " after " + all);
            }
            if (message == CLOSED) {
                return all;
            }
            all.add((JsonObject) message);
        }
    }

    /** @return the close code the server sent, -1 before the close */
    int closeCode() {
        return closeCode;
    }

    @Override
    public void close() {
        socket.abort();
    }
}
