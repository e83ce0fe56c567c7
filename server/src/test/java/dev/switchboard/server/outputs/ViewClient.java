package dev.switchboard.server.outputs;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;

/** Requests to a test server over a real socket: the JDK's HttpClient, or raw bytes for what it would not send. */
final class ViewClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final int port;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT).build();

    ViewClient(int port) {
        this.port = port;
    }

    /** A request for a path written exactly as given (escapes included), with header name/value pairs. */
    HttpResponse<byte[]> send(String method, String rawPath, String... headers) {
        return send(method, rawPath, HttpResponse.BodyHandlers.ofByteArray(), headers);
    }

    <T> HttpResponse<T> send(String method, String rawPath, HttpResponse.BodyHandler<T> body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + rawPath))
                .timeout(TIMEOUT).method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return http.send(request.build(), body);
        } catch (IOException e) {
            throw new AssertionError("request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The URL path of a View path from the store: every byte outside the unreserved set and {@code /} escaped. */
    static String escape(String viewPath) {
        StringBuilder out = new StringBuilder("/");
        for (byte b : viewPath.getBytes(UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~/".indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }

    /** Writes one request line as given and reads the whole answer (the connection is closed after it). */
    RawReply raw(String requestTarget) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            socket.getOutputStream().write(("GET " + requestTarget + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Connection: close\r\n\r\n").getBytes(ISO_8859_1));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            byte[] all = in.readAllBytes();
            String text = new String(all, ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            int status = Integer.parseInt(text.substring(9, 12));
            return new RawReply(status, text.substring(0, end), Arrays.copyOfRange(all, end + 4, all.length));
        } catch (IOException e) {
            throw new AssertionError("raw request failed: " + e, e);
        }
    }

    record RawReply(int status, String head, byte[] body) {
    }
}
