package dev.switchboard.server.metrics;

import java.time.Duration;

/** The histogram buckets of the timers: fixed, so each timer exposes a few dozen lines, not Micrometer's ~70. */
final class Buckets {
    /** HTTP requests: a millisecond to five minutes (a generation answers when its images are done). */
    static final Duration[] REQUESTS = millis(1, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000,
            60_000, 300_000);
    /** Jobs on a backend: a tenth of a second to two hours (the default job timeout). */
    static final Duration[] JOBS = millis(100, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000, 120_000, 300_000,
            600_000, 1_800_000, 7_200_000);
    /** Forcing the backends file and its folder to disk. */
    static final Duration[] FSYNC = micros(100, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000,
            500_000, 1_000_000, 5_000_000);

    private Buckets() {
    }

    private static Duration[] millis(long... values) {
        Duration[] durations = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            durations[i] = Duration.ofMillis(values[i]);
        }
        return durations;
    }

    private static Duration[] micros(long... values) {
        Duration[] durations = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            durations[i] = Duration.ofNanos(values[i] * 1_000);
        }
        return durations;
    }
}
