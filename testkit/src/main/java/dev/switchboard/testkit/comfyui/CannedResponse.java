package dev.switchboard.testkit.comfyui;

import static java.util.Objects.requireNonNull;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A complete HTTP answer: status, optional content type, body bytes.
 *
 * @param status the HTTP status code
 * @param contentType the {@code Content-Type} header, or null to send none (as ComfyUI does for its empty
 *     control answers)
 * @param body the body, possibly empty
 */
record CannedResponse(int status, String contentType, byte[] body) {

    /** ComfyUI's content type for every JSON answer. */
    static final String JSON = "application/json; charset=utf-8";

    /** The text/plain content type of aiohttp's error pages. */
    static final String TEXT = "text/plain; charset=utf-8";

    CannedResponse {
        requireNonNull(body, "body is null");
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("not an HTTP status: " + status);
        }
    }

    static CannedResponse json(String json) {
        return json(200, json);
    }

    static CannedResponse json(int status, String json) {
        return new CannedResponse(status, JSON, json.getBytes(StandardCharsets.UTF_8));
    }

    /** An empty 200 without content type: ComfyUI's answer to {@code /free}, {@code /interrupt} and the like. */
    static CannedResponse emptyOk() {
        return new CannedResponse(200, null, new byte[0]);
    }

    /** ComfyUI's answer to an unknown path: 404 with an empty body. */
    static CannedResponse notFound() {
        return new CannedResponse(404, null, new byte[0]);
    }

    /** What aiohttp sends when a ComfyUI handler throws (e.g. on a body that is not JSON). */
    static CannedResponse serverError() {
        return new CannedResponse(500, TEXT,
                "500 Internal Server Error\n\nServer got itself in trouble".getBytes(StandardCharsets.UTF_8));
    }

    /** Sends the status, the headers and the whole body; the exchange must be in blocking mode. */
    void sendTo(HttpServerExchange exchange) throws IOException {
        sendHeadersTo(exchange);
        if (body.length > 0) {
            exchange.getOutputStream().write(body);
        }
    }

    /**
     * Sends the status and headers at once, then the body one byte at a time, each once {@code pause} allows.
     *
     * @param exchange where to send, in blocking mode
     * @param pause waits before each byte; false stops sending
     */
    void trickleTo(HttpServerExchange exchange, Pause pause) throws IOException, InterruptedException {
        sendHeadersTo(exchange);
        OutputStream out = exchange.getOutputStream();
        out.flush();
        for (byte b : body) {
            if (!pause.await()) {
                return;
            }
            out.write(b);
            out.flush();
        }
    }

    private void sendHeadersTo(HttpServerExchange exchange) {
        exchange.setStatusCode(status);
        if (contentType != null) {
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, contentType);
        }
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, body.length);
    }

    /** Waits between two bytes of a trickled body. */
    @FunctionalInterface
    interface Pause {
        /** @return whether to go on sending */
        boolean await() throws InterruptedException;
    }
}
