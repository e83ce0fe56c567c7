package dev.switchboard.server.it.accounts;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * One call of a WebSocket-only route ({@code ws://.../API/<Route>}) over a real socket (the JDK's): sends the
 * request as the first message and collects every message until the server closes the socket.
 */
final class RouteSocket {
    private RouteSocket() {
    }

    /** @return the messages the server sent before its close frame */
    static List<JsonObject> call(String baseUrl, String route, String request, Duration timeout) throws Exception {
        List<JsonObject> messages = new ArrayList<>();
        CompletableFuture<List<JsonObject>> closed = new CompletableFuture<>();
        StringBuilder text = new StringBuilder();
        URI uri = URI.create(baseUrl.replaceFirst("^http", "ws") + "/API/" + route);
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(uri, new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            synchronized (messages) {
                                messages.add(JsonParser.parseString(text.toString()).getAsJsonObject());
                            }
                            text.setLength(0);
                        }
                        webSocket.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                        synchronized (messages) {
                            closed.complete(List.copyOf(messages));
                        }
                        return null;
                    }

                    @Override
                    public void onError(WebSocket webSocket, Throwable error) {
                        closed.completeExceptionally(error);
                    }
                }).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            socket.sendText(request, true).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            socket.abort();
        }
    }
}
