package dev.switchboard.server.metrics;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import java.nio.ByteBuffer;

/** {@code GET /metrics}: the registry in Prometheus' text format (0.0.4), written on a worker thread. */
final class MetricsHandler implements HttpHandler {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;

    MetricsHandler(PrometheusMeterRegistry registry) {
        this.registry = registry;
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
        // Reading the JVM's beans and writing every series is work for a worker, not the I/O thread.
        exchange.dispatch(() -> {
            byte[] body = registry.scrape().getBytes(UTF_8);
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, CONTENT_TYPE);
            exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
            exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, body.length);
            if (head) {
                exchange.endExchange();
            } else {
                exchange.getResponseSender().send(ByteBuffer.wrap(body));
            }
        });
    }
}
