package dev.switchboard.server.apidocs;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.switchboard.server.http.ApiJson;
import dev.switchboard.server.http.ApiRoute;
import dev.switchboard.server.http.GetOnlyResponses;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
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
        if (GetOnlyResponses.refusedUnlessGetOrHead(exchange)) {
            return;
        }
        GetOnlyResponses.send(exchange, "application/json", "no-cache", document);
    }
}
