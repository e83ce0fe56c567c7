package dev.switchboard.testkit.comfyui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A WebSocket client of the stand-in's {@code /ws} for tests: keeps every message in arrival order. */
final class TestSocket implements WebSocket.Listener, AutoCloseable {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    /** One message: a JSON text or a binary frame; or the end of the socket. */
    record Message(JsonObject json, byte[] binary, String closed) {
        boolean isText() {
            return json != null;
        }

        boolean isBinary() {
            return binary != null;
        }

        String type() {
            return json == null ? null : json.get("type").getAsString();
        }

        JsonObject data() {
            return json.getAsJsonObject("data");
        }

        int header(int word) {
            return ByteBuffer.wrap(binary).getInt(word * 4);
        }

        byte[] payload() {
            byte[] payload = new byte[binary.length - 8];
            System.arraycopy(binary, 8, payload, 0, payload.length);
            return payload;
        }

        /** @return e.g. {@code status}, {@code binary} or {@code closed} */
        String kind() {
            return isText() ? type() : isBinary() ? "binary" : "closed";
        }
    }

    private final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
    private final List<Message> seen = new ArrayList<>();
    private final StringBuilder text = new StringBuilder();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final String clientId;
    private final WebSocket socket;

    TestSocket(HttpClient client, String baseUrl) throws Exception {
        this(client, baseUrl, UUID.randomUUID().toString());
    }

    TestSocket(HttpClient client, String baseUrl, String clientId) throws Exception {
        this.clientId = clientId;
        this.socket = client.newWebSocketBuilder()
                .buildAsync(URI.create(baseUrl.replace("http://", "ws://") + "/ws?clientId=" + clientId), this)
                .get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        // ComfyUI (and the stand-in) sends a status message once it has taken the socket in; until then a prompt
        // posted for this client id would run without sending it anything. The message stays queued for the test.
        await().atMost(PATIENCE).until(() -> !messages.isEmpty());
    }

    String clientId() {
        return clientId;
    }

    WebSocket socket() {
        return socket;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            messages.add(new Message(JsonParser.parseString(text.toString()).getAsJsonObject(), null, null));
            text.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        byte[] part = new byte[data.remaining()];
        data.get(part);
        bytes.writeBytes(part);
        if (last) {
            messages.add(new Message(null, bytes.toByteArray(), null));
            bytes.reset();
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        messages.add(new Message(null, null, "close " + statusCode));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        messages.add(new Message(null, null, "error " + error));
    }

    /** Waits for the next message. */
    Message next() throws InterruptedException {
        Message message = messages.poll(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(message).as("a WebSocket message within %s; seen so far: %s", PATIENCE, kinds(seen)).isNotNull();
        seen.add(message);
        return message;
    }

    /** Reads messages up to and including the first that matches. */
    List<Message> until(Predicate<Message> last) throws InterruptedException {
        List<Message> read = new ArrayList<>();
        while (true) {
            Message message = next();
            read.add(message);
            if (last.test(message)) {
                return read;
            }
            assertThat(message.closed()).as("the socket ended before the expected message: %s", kinds(read))
                    .isNull();
        }
    }

    /** @return the message that ends a prompt: {@code executing} with node null */
    static boolean promptDone(Message message) {
        return message.isText() && message.type().equals("executing") && message.data().get("node").isJsonNull();
    }

    /** Tells whether nothing arrives for a while. */
    boolean quietFor(Duration wait) throws InterruptedException {
        Message message = messages.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        if (message != null) {
            seen.add(message);
        }
        return message == null;
    }

    static List<String> kinds(List<Message> read) {
        return read.stream().map(Message::kind).toList();
    }

    @Override
    public void close() {
        socket.abort();
    }
}
