package dev.switchboard.server.metrics;

import dev.switchboard.server.store.StoreListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * {@code switchboard_store_writes_total{outcome}} (each durable write of {@code backends.json}, which may carry
 * several concurrent changes), {@code switchboard_store_changes_total{outcome}} (the changes they carried) and
 * {@code switchboard_store_fsync_seconds} (forcing the new file and its folder to disk).
 */
final class StoreMetrics implements StoreListener {
    private final Counter written;
    private final Counter failed;
    private final Counter changesWritten;
    private final Counter changesFailed;
    private final Timer fsync;

    StoreMetrics(MeterRegistry registry) {
        written = writes(registry, "ok");
        failed = writes(registry, "failed");
        changesWritten = changes(registry, "ok");
        changesFailed = changes(registry, "failed");
        fsync = Timer.builder("switchboard.store.fsync")
                .description("Time spent forcing backends.json and its folder to disk, per write")
                .serviceLevelObjectives(Buckets.FSYNC)
                .register(registry);
    }

    @Override
    public void written(int changes, long fsyncNanos) {
        written.increment();
        changesWritten.increment(changes);
        fsync.record(fsyncNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void writeFailed(int changes) {
        failed.increment();
        changesFailed.increment(changes);
    }

    private static Counter writes(MeterRegistry registry, String outcome) {
        return Counter.builder("switchboard.store.writes").description("Writes of backends.json")
                .tag("outcome", outcome).register(registry);
    }

    private static Counter changes(MeterRegistry registry, String outcome) {
        return Counter.builder("switchboard.store.changes").description("Backend changes saved by those writes")
                .tag("outcome", outcome).register(registry);
    }
}
