package dev.switchboard.server.metrics;

import dev.switchboard.api.BackendStatus;
import dev.switchboard.server.backends.BackendRegistry;
import dev.switchboard.server.backends.BackendSnapshot;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code switchboard_backends{type, status}}: how many backends (non-real children included, under their parent's
 * type) of each registered type are in each status, read from the registry's snapshots. The counts are taken once
 * per change of what the registry shows, however many gauges a scrape reads.
 */
final class BackendGauges {
    private final BackendRegistry backends;
    private volatile Counts counts = new Counts(-1, Map.of());

    BackendGauges(BackendRegistry backends) {
        this.backends = backends;
    }

    /** Registers a gauge per type and status, every one read from the same counts. */
    void register(MeterRegistry registry, Collection<String> typeIds) {
        for (String type : typeIds) {
            for (BackendStatus status : BackendStatus.values()) {
                String key = key(type, status);
                Gauge.builder("switchboard.backends", this, gauges -> gauges.count(key))
                        .description("Backends by type and status").tags("type", type, "status", status.wireName())
                        .strongReference(true).register(registry);
            }
        }
    }

    private double count(String key) {
        long version = backends.viewVersion();
        Counts kept = counts;
        if (kept.version() != version) {
            Map<String, Integer> byKey = new HashMap<>();
            for (BackendSnapshot backend : backends.snapshots()) {
                byKey.merge(key(backend.typeId(), backend.status()), 1, Integer::sum);
            }
            kept = new Counts(version, Map.copyOf(byKey));
            counts = kept;
        }
        return kept.byKey().getOrDefault(key, 0);
    }

    private static String key(String type, BackendStatus status) {
        return type + '\n' + status.wireName();
    }

    private record Counts(long version, Map<String, Integer> byKey) {
    }
}
