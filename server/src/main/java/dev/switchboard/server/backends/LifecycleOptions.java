package dev.switchboard.server.backends;

import java.time.Duration;

/**
 * Limits of the backend lifecycle.
 *
 * @param initRetries how often a failed initialisation is retried before the backend is errored
 *     (SwarmUI tries 4 times in all)
 * @param retryBaseDelay delay before the first retry; doubles for each further retry
 * @param retryMaxDelay the longest delay between retries
 * @param callTimeout deadline for short plugin calls (creating an instance, validating settings)
 * @param shutdownTimeout deadline for a backend's shutdown
 * @param usageDrainTimeout how long a shutdown waits for in-flight work to finish before it forces
 * @param freeMemoryTimeout deadline for a free-memory call
 * @param startTimeout how long a backend that launches its engine may take to become ready (told to plugins)
 */
public record LifecycleOptions(
        int initRetries,
        Duration retryBaseDelay,
        Duration retryMaxDelay,
        Duration callTimeout,
        Duration shutdownTimeout,
        Duration usageDrainTimeout,
        Duration freeMemoryTimeout,
        Duration startTimeout) {

    /** The production defaults. */
    public static LifecycleOptions defaults() {
        return withStartTimeout(Duration.ofMinutes(10));
    }

    /** The production defaults with the operator's start-up timeout. */
    public static LifecycleOptions withStartTimeout(Duration startTimeout) {
        return new LifecycleOptions(3, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(10),
                Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(60), startTimeout);
    }

    /** Delay before retry number {@code retry} (1-based). */
    Duration retryDelay(int retry) {
        long factor = 1L << Math.min(20, Math.max(0, retry - 1));
        Duration delay = retryBaseDelay.multipliedBy(factor);
        return delay.compareTo(retryMaxDelay) > 0 ? retryMaxDelay : delay;
    }
}
