package dev.switchboard.server.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that hold a connection without finishing a request (slowloris) are disconnected: one whose request
 * line and headers stop arriving after {@value #PARSE_TIMEOUT_SECONDS} s, one that sends nothing at all after
 * {@value #IDLE_TIMEOUT_SECONDS} s. Clients that make progress are not: headers sent in pieces, a body that
 * takes longer than the parse timeout, and one connection kept alive for a request every second.
 */
final class SlowClientIT {
    /** README: "Connections" (HttpEndpoint.REQUEST_PARSE_TIMEOUT). */
    private static final int PARSE_TIMEOUT_SECONDS = 10;
    /** README: "Connections" (HttpEndpoint.NO_REQUEST_TIMEOUT). */
    private static final int IDLE_TIMEOUT_SECONDS = 60;
    /** What a busy machine may add to a bound before the server's timer closes the connection. */
    private static final Duration SLACK = Duration.ofSeconds(15);
    private static final String GET_NEW_SESSION = "POST /API/GetNewSession HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";

    @TempDir
    Path data;
    TestServer server;
    int port;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(data);
        port = URI.create(server.url()).getPort();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aRequestWhoseHeadersStopArrivingIsClosedWithinTheParseTimeout() throws Exception {
        try (Socket socket = connect(Duration.ofSeconds(PARSE_TIMEOUT_SECONDS).plus(SLACK))) {
            send(socket, "POST /API/ListBackends HTTP/1.1\r\nHost: 127.0.0.1\r\n");
            long sent = System.nanoTime();
            assertClosedByTheServer(socket, "a request line and one header, then nothing");
            System.out.printf("stalled headers closed after %d ms%n",
                    Duration.ofNanos(System.nanoTime() - sent).toMillis());
        }
    }

    @Test
    void anIdleConnectionIsClosedWhileProgressingClientsAndKeepAlivePollingAreServed() throws Exception {
        try (Socket idle = connect(Duration.ofSeconds(IDLE_TIMEOUT_SECONDS).plus(SLACK));
             Socket polling = connect(Duration.ofSeconds(30))) {
            CompletableFuture<Void> closed = CompletableFuture.runAsync(() -> assertClosedByTheServer(idle,
                    "a connection that never sends a byte"));

            // Headers in pieces (within the parse timeout), then a body that takes longer than the parse timeout.
            try (Socket slow = connect(Duration.ofSeconds(30))) {
                String body = "{\"a\":\"" + "x".repeat(40) + "\"}";
                send(slow, "POST /API/GetNewSession HTTP/1.1\r\n");
                pause(Duration.ofSeconds(1));
                send(slow, "Host: 127.0.0.1\r\nContent-Type: application/json\r\n");
                pause(Duration.ofSeconds(1));
                send(slow, "Content-Length: " + body.length() + "\r\n\r\n");
                for (int piece = 0; piece < 4; piece++) {
                    pause(Duration.ofSeconds(4));
                    send(slow, body.substring(piece * body.length() / 4, (piece + 1) * body.length() / 4));
                }
                assertThat(readAnswer(slow.getInputStream())).startsWith("HTTP/1.1 200 ").contains("\"session_id\":");
            }

            // One kept-alive connection, a request every second until the idle connection is gone.
            int answered = 0;
            while (!closed.isDone()) {
                send(polling, GET_NEW_SESSION);
                assertThat(readAnswer(polling.getInputStream())).as("answer %d on one connection", answered + 1)
                        .startsWith("HTTP/1.1 200 ").contains("\"session_id\":");
                answered++;
                pause(Duration.ofSeconds(1));
            }
            closed.get(1, TimeUnit.SECONDS);
            assertThat(answered).as("requests answered on the polling connection").isGreaterThan(IDLE_TIMEOUT_SECONDS / 2);
            send(polling, GET_NEW_SESSION);
            assertThat(readAnswer(polling.getInputStream())).as("the polling connection outlived the idle one")
                    .startsWith("HTTP/1.1 200 ");
        }
    }

    private Socket connect(Duration readTimeout) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout((int) readTimeout.toMillis());
        return socket;
    }

    /** Reads until the server closes the connection; fails if the read timeout (the bound) passes first. */
    private static void assertClosedByTheServer(Socket socket, String what) {
        try {
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            for (int next = in.read(); next >= 0; next = in.read()) {
                received.write(next);
            }
            assertThat(received.toString(ISO_8859_1)).as("what the server sent before closing").isEmpty();
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server still held " + what + " after the bound", e);
        } catch (SocketException e) {
            // A reset is a close too.
            assertThat(e.getMessage()).as(what).containsIgnoringCase("reset");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void send(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(UTF_8));
        out.flush();
    }

    /** Reads one answer's head and, by its Content-Length, its body. */
    private static String readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(ISO_8859_1).endsWith("\r\n\r\n")) {
            int next = in.read();
            if (next < 0) {
                throw new IOException("the connection ended before the answer's head: " + head);
            }
            head.write(next);
        }
        String headText = head.toString(ISO_8859_1);
        int length = 0;
        for (String line : headText.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        return headText + new String(in.readNBytes(length), UTF_8);
    }

    private static void pause(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis());
    }
}
