package dev.switchboard.examples.autowebui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The client against a WebUI that closes a kept-alive connection just as the next call goes out on it (uvicorn's
 * idle timeout, a WebUI restarted on the same port): a POST that may be repeated is sent again on a new connection,
 * which the JDK does by itself only for a GET.
 */
final class SdApiClientTest {
    @Test
    void aCallWhoseKeptConnectionBreaksWithoutAnAnswerIsSentOnceMore() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        ExecutorService serverThread = Executors.newSingleThreadExecutor();
        try (ServerSocket listener = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
             SdApiClient client = new SdApiClient("http://127.0.0.1:" + listener.getLocalPort(),
                     Duration.ofSeconds(30))) {
            Future<?> server = serverThread.submit(() -> {
                try (Socket first = listener.accept()) {
                    seen.add("first: " + readRequest(first.getInputStream()));
                    answer(first.getOutputStream(), "{\"ok\":1}");
                    // The next call arrives on the kept connection, which closes without an answer.
                    seen.add("first: " + readRequest(first.getInputStream()));
                }
                try (Socket second = listener.accept()) {
                    seen.add("second: " + readRequest(second.getInputStream()));
                    answer(second.getOutputStream(), "{}");
                }
                return null;
            });
            assertThat(client.get("options").getAsJsonObject().get("ok").getAsInt()).isEqualTo(1);
            assertThat(client.post("refresh-checkpoints", "").isJsonObject()).isTrue();
            server.get(30, TimeUnit.SECONDS);
            assertThat(seen).containsExactly("first: GET /sdapi/v1/options",
                    "first: POST /sdapi/v1/refresh-checkpoints", "second: POST /sdapi/v1/refresh-checkpoints");
        } finally {
            serverThread.shutdownNow();
        }
    }

    /** Reads one request (headers, then as many body bytes as it announces); returns its method and path. */
    private static String readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int next = in.read();
            if (next < 0) {
                throw new IOException("the connection ended inside a request: " + head);
            }
            head.write(next);
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        int length = 0;
        for (String line : lines) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        in.readNBytes(length);
        String[] requestLine = lines[0].split(" ");
        return requestLine[0] + " " + requestLine[1];
    }

    private static void answer(OutputStream out, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }
}
