package dev.switchboard.server.metrics;

import dev.switchboard.server.backends.InitListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code switchboard_backend_init_attempts_total{type}} and {@code switchboard_backend_init_failures_total{type,
 * reason}} ({@code error} or {@code timeout}): every initialisation attempt, first tries and retries alike. Types
 * are the registered backend type ids.
 */
final class InitMetrics implements InitListener {
    private final MeterRegistry registry;

    InitMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Registers the type's counters at zero, so a type that never started still has its series. */
    void register(String typeId) {
        attempts(typeId);
        failures(typeId, "error");
        failures(typeId, "timeout");
    }

    @Override
    public void attempted(String typeId) {
        attempts(typeId).increment();
    }

    @Override
    public void failed(String typeId, boolean timedOut) {
        failures(typeId, timedOut ? "timeout" : "error").increment();
    }

    private Counter attempts(String typeId) {
        return Counter.builder("switchboard.backend.init.attempts").description("Backend initialisation attempts")
                .tag("type", typeId).register(registry);
    }

    private Counter failures(String typeId, String reason) {
        return Counter.builder("switchboard.backend.init.failures")
                .description("Backend initialisation attempts that failed")
                .tags("type", typeId, "reason", reason).register(registry);
    }
}
