package dev.switchboard.server.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import java.nio.ByteBuffer;

/**
 * The answers of the plain {@code GET} (and {@code HEAD}) paths beside the API ({@code /healthz}, {@code /readyz},
 * {@code /metrics}, {@code /openapi.json}): other methods refused with 405 and {@code Allow}, a body sent whole with
 * its length, and {@code HEAD} answered with the same headers and no body.
 */
public final class GetOnlyResponses {
    private GetOnlyResponses() {
    }

    /**
     * Answers 405 unless the request is a {@code GET} or {@code HEAD}.
     *
     * @return true when the request was refused (and the exchange ended)
     */
    public static boolean refusedUnlessGetOrHead(HttpServerExchange exchange) {
        if (exchange.getRequestMethod().equals(Methods.GET) || exchange.getRequestMethod().equals(Methods.HEAD)) {
            return false;
        }
        exchange.setStatusCode(StatusCodes.METHOD_NOT_ALLOWED);
        exchange.getResponseHeaders().put(Headers.ALLOW, "GET, HEAD");
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, 0L);
        exchange.endExchange();
        return true;
    }

    /** Sends {@code body} (its headers only, for a {@code HEAD}) with the exchange's status code. */
    public static void send(HttpServerExchange exchange, String contentType, String cacheControl, byte[] body) {
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, contentType);
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, cacheControl);
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, body.length);
        if (exchange.getRequestMethod().equals(Methods.HEAD)) {
            exchange.endExchange();
        } else {
            exchange.getResponseSender().send(ByteBuffer.wrap(body));
        }
    }
}
