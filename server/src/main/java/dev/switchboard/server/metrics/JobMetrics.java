package dev.switchboard.server.metrics;

import dev.switchboard.server.dispatch.Job;
import dev.switchboard.server.dispatch.JobObserver;
import dev.switchboard.server.dispatch.JobState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * The jobs: {@code switchboard_jobs_submitted_total}, {@code switchboard_jobs_running{type}}, {@code
 * switchboard_jobs_finished_total{type, outcome}} ({@code completed}, {@code failed}, {@code cancelled}) and {@code
 * switchboard_job_duration_seconds{type, outcome}} (from the start on a backend to the end). {@code type} is the
 * backend type the job ran on, or {@code none} for a job that ended without one (queue timeout, no match,
 * cancelled while waiting). The queue's length is a gauge of its own (see {@link ServerMetrics}).
 */
final class JobMetrics implements JobObserver {
    static final String NO_BACKEND = "none";

    private final MeterRegistry registry;
    private final IntFunction<Optional<String>> typeOfBackend;
    private final Counter submitted;
    private final Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
    /** The jobs running now: their backend type and start, by job id. */
    private final Map<Long, Start> started = new ConcurrentHashMap<>();

    JobMetrics(MeterRegistry registry, IntFunction<Optional<String>> typeOfBackend) {
        this.registry = registry;
        this.typeOfBackend = typeOfBackend;
        this.submitted = Counter.builder("switchboard.jobs.submitted").description("Jobs queued")
                .register(registry);
    }

    /** Registers the type's series at zero. */
    void register(String typeId) {
        runningGauge(typeId);
        for (String outcome : new String[] {"completed", "failed", "cancelled"}) {
            finished(typeId, outcome);
            duration(typeId, outcome);
        }
    }

    @Override
    public void moved(Job job, JobState state) {
        switch (state) {
            case QUEUED -> submitted.increment();
            case RUNNING -> {
                String type = job.backendId().stream().mapToObj(typeOfBackend).flatMap(Optional::stream)
                        .findFirst().orElse(NO_BACKEND);
                started.put(job.id(), new Start(type, System.nanoTime()));
                runningGauge(type).incrementAndGet();
            }
            case DONE, FAILED, CANCELLED -> ended(job, outcome(state));
        }
    }

    private void ended(Job job, String outcome) {
        Start start = started.remove(job.id());
        String type = start == null ? NO_BACKEND : start.type();
        if (start != null) {
            runningGauge(type).decrementAndGet();
            duration(type, outcome).record(System.nanoTime() - start.nanos(), TimeUnit.NANOSECONDS);
        }
        finished(type, outcome).increment();
    }

    private static String outcome(JobState state) {
        return switch (state) {
            case DONE -> "completed";
            case FAILED -> "failed";
            default -> "cancelled";
        };
    }

    private AtomicInteger runningGauge(String type) {
        return running.computeIfAbsent(type, key -> {
            AtomicInteger count = new AtomicInteger();
            Gauge.builder("switchboard.jobs.running", count, AtomicInteger::get)
                    .description("Jobs running on a backend now").tag("type", key).strongReference(true)
                    .register(registry);
            return count;
        });
    }

    private Counter finished(String type, String outcome) {
        return Counter.builder("switchboard.jobs.finished").description("Jobs that ended")
                .tags("type", type, "outcome", outcome).register(registry);
    }

    private Timer duration(String type, String outcome) {
        return Timer.builder("switchboard.job.duration").description("Time jobs ran on a backend")
                .tags("type", type, "outcome", outcome).serviceLevelObjectives(Buckets.JOBS).register(registry);
    }

    private record Start(String type, long nanos) {
    }
}
