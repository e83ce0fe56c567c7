package dev.switchboard.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.switchboard.testkit.server.SwarmApiClient;
import dev.switchboard.testkit.server.SwitchboardProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Oversized request bodies (R9) against the distribution's server with a small heap ({@code JAVA_OPTS=-Xmx64m}):
 * 100 clients at once each announce (Content-Length) or stream (chunked) far more than
 * {@code --max-request-bytes} and keep sending; every one is refused with the envelope before its body is read,
 * the server keeps answering, and it never runs out of memory.
 */
final class OversizedRequestIT {
    private static final int CLIENTS = 100;
    private static final long MAX_REQUEST_BYTES = 64 * 1024;
    /** What each client tries to send: together 100 times more than the whole heap. */
    private static final long BODY_BYTES = 64L * 1024 * 1024;
    private static final byte[] CHUNK = new byte[64 * 1024];
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration ANSWER = Duration.ofSeconds(60);

    @TempDir
    Path folder;

    @Test
    void hundredConcurrentOversizedRequestsAreRefusedWithoutExhaustingA64MiBHeap() throws Exception {
        Path plugins = Files.createDirectories(folder.resolve("plugins"));
        List<String> arguments = List.of("--port", "0", "--data-dir", folder.resolve("data").toString(),
                "--plugins-dir", plugins.toString(), "--max-request-bytes", Long.toString(MAX_REQUEST_BYTES));
        try (SwitchboardProcess server = ShippedDistribution.start(folder, arguments, Map.of("JAVA_OPTS", "-Xmx64m"))) {
            String url = server.awaitReady(START);
            int port = URI.create(url).getPort();
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            ExecutorService writers = Executors.newFixedThreadPool(CLIENTS);
            try {
                CountDownLatch allConnected = new CountDownLatch(CLIENTS);
                List<CompletableFuture<String>> answers = new ArrayList<>();
                for (int i = 0; i < CLIENTS; i++) {
                    boolean chunked = i % 2 == 1;
                    answers.add(CompletableFuture.supplyAsync(() -> oversizedRequest(port, chunked, allConnected, writers),
                            clients));
                }
                CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);

                for (CompletableFuture<String> answer : answers) {
                    String response = answer.get();
                    assertThat(response).startsWith("HTTP/1.1 400 ");
                    JsonObject body = JsonParser.parseString(response.substring(response.indexOf("\r\n\r\n") + 4))
                            .getAsJsonObject();
                    assertThat(body).isEqualTo(JsonParser.parseString(
                            "{\"error_id\":\"basic_api\",\"error\":\"bad content length\"}"));
                }
            } finally {
                clients.shutdownNow();
                writers.shutdownNow();
            }

            SwarmApiClient api = new SwarmApiClient(url);
            assertThat(api.call("ListBackends").entrySet()).isEmpty();
            assertThat(server.process().isAlive()).isTrue();
            assertThat(server.output()).noneMatch(line -> line.contains("OutOfMemoryError"));
        }
    }

    /**
     * Sends the head, then keeps writing the body while reading the answer; returns the answer's head and body.
     * The server answers without reading the body and closes, so writing stops with an error sooner or later.
     */
    private static String oversizedRequest(int port, boolean chunked, CountDownLatch allConnected,
            ExecutorService writers) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout((int) ANSWER.toMillis());
            allConnected.countDown();
            // All 100 connections are open before the first byte goes out: they really are concurrent.
            if (!allConnected.await(ANSWER.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("only " + (CLIENTS - allConnected.getCount()) + " of " + CLIENTS
                        + " connections were open after " + ANSWER.toSeconds() + " s: the requests were not concurrent");
            }
            String head = "POST /API/AddNewBackend HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                    + "Content-Type: application/json\r\n"
                    + (chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + BODY_BYTES + "\r\n") + "\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> writeBody(out, chunked), writers);
            String answer = readAnswer(socket.getInputStream());
            writer.cancel(true);
            return answer;
        } catch (IOException e) {
            throw new AssertionError("no answer to an oversized " + (chunked ? "chunked" : "Content-Length")
                    + " request", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void writeBody(OutputStream out, boolean chunked) {
        try {
            for (long sent = 0; sent < BODY_BYTES; sent += CHUNK.length) {
                if (chunked) {
                    out.write((Integer.toHexString(CHUNK.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                }
                out.write(CHUNK);
                if (chunked) {
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
            }
            out.flush();
        } catch (IOException e) {
            // The server closed the connection instead of reading the rest: what it should do.
        }
    }

    /** Reads the head and, by its Content-Length, the body of the answer. */
    private static String readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int next = in.read();
            if (next < 0) {
                throw new IOException("the connection ended before the answer's head: " + head);
            }
            head.write(next);
        }
        String headText = head.toString(StandardCharsets.ISO_8859_1);
        int length = 0;
        for (String line : headText.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        return headText + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
