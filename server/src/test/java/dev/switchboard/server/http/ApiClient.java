package dev.switchboard.server.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Talks HTTP to a test server: java.net.http for well-formed requests, a raw socket for malformed ones. */
final class ApiClient {

    /** What came back: status, headers (names lower-cased, first value) and the body text. */
    record Reply(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final int port;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(TIMEOUT)
            .build();

    ApiClient(int port) {
        this.port = port;
    }

    Reply post(String path, String json) {
        return post(path, "application/json", json.getBytes(UTF_8), Map.of());
    }

    Reply post(String path, String json, Map<String, String> headers) {
        return post(path, "application/json", json.getBytes(UTF_8), headers);
    }

    Reply post(String path, String contentType, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        headers.forEach(request::header);
        return send(request.build());
    }

    Reply send(String method, String path) {
        return send(HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT)
                .method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    private Reply send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(UTF_8));
            Map<String, String> headers = new TreeMap<>();
            response.headers().map().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT),
                    values.get(0)));
            return new Reply(response.statusCode(), headers, response.body());
        } catch (IOException e) {
            throw new AssertionError("request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * Writes the request bytes as given on a fresh connection, without closing the sending side, and reads
     * one response. The server must answer on its own: a server that waited for more body would time out here.
     */
    Reply raw(String head, byte[] bodyStart) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(ISO_8859_1));
            out.write(bodyStart);
            out.flush();
            return readReply(socket.getInputStream());
        } catch (IOException e) {
            throw new AssertionError("raw request failed: " + e, e);
        }
    }

    /**
     * Sends the head of a request that expects {@code 100 Continue} and reads the first answer; only when that
     * is 100 sends the body and reads the final answer too.
     */
    List<Reply> expectingContinue(String head, byte[] body) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(ISO_8859_1));
            out.flush();
            Reply first = readReply(socket.getInputStream());
            if (first.status() != 100) {
                return List.of(first);
            }
            out.write(body);
            out.flush();
            return List.of(first, readReply(socket.getInputStream()));
        } catch (IOException e) {
            throw new AssertionError("raw request failed: " + e, e);
        }
    }

    private static Reply readReply(InputStream in) throws IOException {
        String statusLine = readLine(in);
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new TreeMap<>();
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            headers.putIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    line.substring(colon + 1).trim());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        return new Reply(status, headers, new String(body, UTF_8));
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new IOException("connection closed mid-response");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(ISO_8859_1);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
