package dev.switchboard.server.apidocs;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.switchboard.server.http.ApiJson;
import dev.switchboard.server.http.ApiRoute;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import java.nio.ByteBuffer;
import java.util.Collection;

/** {@code GET /openapi.json}: the OpenAPI document of the routes served, written once (the routes never change). */
public final class OpenApiHandler implements HttpHandler {
    public static final String PATH = "/openapi.json";

    private final byte[] document;

    public OpenApiHandler(Collection<ApiRoute> routes, String version) {
        this.document = ApiJson.write(OpenApiDocument.of(routes, version)).getBytes(UTF_8);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        boolean head = exchange.getRequestMethod().equals(Methods.HEAD);
        if (!head && !exchange.getRequestMethod().equals(Methods.GET)) {
            exchange.setStatusCode(StatusCodes.METHOD_NOT_ALLOWED);
            exchange.getResponseHeaders().put(Headers.ALLOW, "GET, HEAD");
            exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, 0L);
            exchange.endExchange();
            return;
        }
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache");
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, document.length);
        if (head) {
            exchange.endExchange();
        } else {
            exchange.getResponseSender().send(ByteBuffer.wrap(document));
        }
    }
}
