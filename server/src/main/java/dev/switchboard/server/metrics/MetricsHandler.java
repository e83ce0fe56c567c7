package dev.switchboard.server.metrics;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.switchboard.server.http.GetOnlyResponses;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/** {@code GET /metrics}: the registry in Prometheus' text format (0.0.4), written on a worker thread. */
final class MetricsHandler implements HttpHandler {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;

    MetricsHandler(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        if (GetOnlyResponses.refusedUnlessGetOrHead(exchange)) {
            return;
        }
        // Reading the JVM's beans and writing every series is work for a worker, not the I/O thread.
        exchange.dispatch(() -> {
            GetOnlyResponses.send(exchange, CONTENT_TYPE, "no-store", registry.scrape().getBytes(UTF_8));
        });
    }
}
