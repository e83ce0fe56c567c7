package dev.switchboard.benchmarks.dispatch;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's own ComfyUI client, doing per job what the comfyui plugin does (generation.md 3.3): open
 * {@code /ws} with a fresh client id, {@code POST /prompt} with that id and a prompt id of ours, read the socket until
 * our prompt's {@code execution_success}, read {@code /history/<id>} (again after 50 ms while it is not there yet),
 * download each saved image with {@code /view}, delete the history entry, close the socket. Thread-safe: each
 * {@link #run} is one job on the calling thread.
 */
final class DirectComfyUi {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G'};

    private final HttpClient http;

    DirectComfyUi(HttpClient http) {
        this.http = http;
    }

    /**
     * Runs one job on the ComfyUI at {@code baseUrl}.
     *
     * @return the bytes of the image it made
     * @throws IOException when ComfyUI refused or failed the prompt, or did not answer in time
     */
    byte[] run(String baseUrl, long seed) throws IOException, InterruptedException {
        String clientId = UUID.randomUUID().toString();
        Messages messages = new Messages();
        WebSocket socket;
        try {
            socket = http.newWebSocketBuilder().buildAsync(URI.create(baseUrl.replaceFirst("^http", "ws")
                    + "/ws?clientId=" + clientId), messages).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException("cannot open " + baseUrl + "/ws: " + e, e);
        }
        try {
            JsonObject request = new JsonObject();
            request.add("prompt", JobGraph.build(seed));
            request.addProperty("client_id", clientId);
            request.addProperty("prompt_id", UUID.randomUUID().toString());
            JsonObject accepted = post(baseUrl + "/prompt", request.toString());
            if (accepted.has("error")) {
                throw new IOException("ComfyUI refused the prompt: " + accepted);
            }
            String promptId = accepted.get("prompt_id").getAsString();
            messages.awaitSuccess(promptId);
            byte[] image = download(baseUrl, history(baseUrl, promptId));
            JsonObject delete = new JsonObject();
            JsonArray ids = new JsonArray();
            ids.add(promptId);
            delete.add("delete", ids);
            post(baseUrl + "/history", delete.toString());
            return image;
        } finally {
            // As the plugin does: a close frame, then the connection is cut without waiting for the answer.
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").whenComplete((closed, failure) -> socket.abort());
        }
    }

    /** Reads the prompt's history entry, retrying while ComfyUI has not written it yet. */
    private JsonObject history(String baseUrl, String promptId) throws IOException, InterruptedException {
        long giveUpAt = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            JsonObject answer = JsonParser.parseString(send(HttpRequest.newBuilder(URI.create(baseUrl + "/history/"
                    + encode(promptId))).GET(), HttpResponse.BodyHandlers.ofString()).body()).getAsJsonObject();
            JsonElement entry = answer.get(promptId);
            if (entry != null && entry.isJsonObject()) {
                return entry.getAsJsonObject();
            }
            if (System.nanoTime() > giveUpAt) {
                throw new IOException("no history entry for prompt " + promptId);
            }
            Thread.sleep(50);
        }
    }

    /** Downloads the first saved ({@code output}) image the entry lists. */
    private byte[] download(String baseUrl, JsonObject entry) throws IOException, InterruptedException {
        for (var node : entry.getAsJsonObject("outputs").entrySet()) {
            JsonArray images = node.getValue().getAsJsonObject().getAsJsonArray("images");
            for (JsonElement item : images == null ? new JsonArray() : images) {
                JsonObject file = item.getAsJsonObject();
                if (!"output".equals(file.get("type").getAsString())) {
                    continue;
                }
                byte[] png = send(HttpRequest.newBuilder(URI.create(baseUrl + "/view?filename="
                        + encode(file.get("filename").getAsString()) + "&type=output&subfolder="
                        + encode(file.get("subfolder").getAsString()))).GET(),
                        HttpResponse.BodyHandlers.ofByteArray()).body();
                if (png.length < PNG_SIGNATURE.length
                        || !java.util.Arrays.equals(png, 0, 4, PNG_SIGNATURE, 0, 4)) {
                    throw new IOException("/view did not send a PNG");
                }
                return png;
            }
        }
        throw new IOException("the history entry lists no saved image: " + entry);
    }

    private JsonObject post(String url, String json) throws IOException, InterruptedException {
        String body = send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)), HttpResponse.BodyHandlers.ofString()).body();
        return body.isEmpty() ? new JsonObject() : JsonParser.parseString(body).getAsJsonObject();
    }

    private <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        HttpResponse<T> response = http.send(request.timeout(DEADLINE).build(), handler);
        if (response.statusCode() != 200) {
            throw new IOException(response.request().uri() + " answered HTTP " + response.statusCode() + ": "
                    + response.body());
        }
        return response;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** The socket's text messages as JSON, in order; binary frames (previews) are read and dropped. */
    private static final class Messages implements WebSocket.Listener {
        private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        private final StringBuilder text = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(Long.MAX_VALUE);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                queue.add(JsonParser.parseString(text.toString()));
                text.setLength(0);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            queue.add(new IOException("ComfyUI closed the socket (" + statusCode + ")"));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            queue.add(new IOException("the socket broke: " + error, error));
        }

        /** Waits for {@code execution_success} of the prompt; its {@code execution_error} fails the job. */
        void awaitSuccess(String promptId) throws IOException, InterruptedException {
            long giveUpAt = System.nanoTime() + DEADLINE.toNanos();
            while (true) {
                Object next = queue.poll(Math.max(1, giveUpAt - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (next == null) {
                    throw new IOException("prompt " + promptId + " did not finish within " + DEADLINE);
                }
                if (next instanceof IOException e) {
                    throw e;
                }
                JsonObject message = ((JsonElement) next).getAsJsonObject();
                JsonObject data = message.getAsJsonObject("data");
                JsonElement id = data == null ? null : data.get("prompt_id");
                if (id == null || !id.isJsonPrimitive() || !id.getAsString().equals(promptId)) {
                    continue;
                }
                switch (message.get("type").getAsString()) {
                    case "execution_success" -> {
                        return;
                    }
                    case "execution_error", "execution_interrupted" -> throw new IOException("ComfyUI failed prompt "
                            + promptId + ": " + message);
                    default -> {
                    }
                }
            }
        }
    }
}
