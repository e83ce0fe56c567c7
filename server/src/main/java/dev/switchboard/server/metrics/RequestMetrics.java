package dev.switchboard.server.metrics;

import dev.switchboard.server.http.RequestObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code switchboard_http_requests_seconds{route, outcome}}: every answered request, timed. The labels come from the
 * HTTP layer, which only ever passes registered route names and fixed words, so the series stay bounded.
 */
final class RequestMetrics implements RequestObserver {
    private final MeterRegistry registry;
    // Looked up on every request: one map read instead of building a meter id each time.
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void answered(String route, String outcome, long nanos) {
        timers.computeIfAbsent(route + '\n' + outcome, key -> Timer.builder("switchboard.http.requests")
                        .description("HTTP requests answered, by API route and outcome")
                        .tags("route", route, "outcome", outcome)
                        .serviceLevelObjectives(Buckets.REQUESTS)
                        .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }
}
