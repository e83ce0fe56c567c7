package dev.switchboard.plugins.comfyui.selfstart;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The timing and limits of a self-started ComfyUI's supervision; production uses {@link #DEFAULTS}, tests
 * pass shorter ones.
 *
 * @param firstBackoff the wait before the first relaunch after a crash; doubled for each further crash
 * @param maxBackoff the longest wait before a relaunch
 * @param crashLimit this many crashes within {@code crashWindow} stop the relaunches (a crash loop)
 * @param crashWindow the window crashes are counted in
 * @param stopStep how long each signal (SIGINT, SIGTERM, SIGKILL) is given when stopping the process tree
 * @param portAttempts how many ports are tried when ComfyUI reports its port is taken
 * @param pollInterval the pause between readiness checks
 * @param updateDeadline how long one git update may take
 * @param startClock the clock, in nanoseconds, that the start timeout is measured on ({@code System::nanoTime})
 */
public record SelfStartTuning(Duration firstBackoff, Duration maxBackoff, int crashLimit, Duration crashWindow,
        Duration stopStep, int portAttempts, Duration pollInterval, Duration updateDeadline, LongSupplier startClock) {

    /**
     * The values used in production. A stop gives SIGINT and SIGTERM 3 s each (ComfyUI exits at once on
     * either), so even a process ignoring both is killed within about 6 s, far under the host's 30 s deadline.
     */
    public static final SelfStartTuning DEFAULTS = new SelfStartTuning(Duration.ofSeconds(2), Duration.ofSeconds(60),
            3, Duration.ofMinutes(10), Duration.ofSeconds(3), 5, Duration.ofMillis(500), Duration.ofMinutes(5));

    /**
     * Checks the values.
     *
     * @param firstBackoff first relaunch wait
     * @param maxBackoff longest relaunch wait
     * @param crashLimit crashes that make a loop, at least 1
     * @param crashWindow window for counting crashes
     * @param stopStep time per stop signal
     * @param portAttempts ports to try, at least 1
     * @param pollInterval pause between readiness checks
     * @param updateDeadline deadline of one git update
     * @param startClock the start timeout's clock
     */
    public SelfStartTuning {
        requireNonNull(startClock, "startClock is null");
        requireNonNull(firstBackoff, "firstBackoff is null");
        requireNonNull(maxBackoff, "maxBackoff is null");
        requireNonNull(crashWindow, "crashWindow is null");
        requireNonNull(stopStep, "stopStep is null");
        requireNonNull(pollInterval, "pollInterval is null");
        requireNonNull(updateDeadline, "updateDeadline is null");
        if (crashLimit < 1 || portAttempts < 1) {
            throw new IllegalArgumentException("crashLimit and portAttempts must be at least 1");
        }
    }

    /** The values with the start timeout measured on {@code System::nanoTime}. */
    public SelfStartTuning(Duration firstBackoff, Duration maxBackoff, int crashLimit, Duration crashWindow,
            Duration stopStep, int portAttempts, Duration pollInterval, Duration updateDeadline) {
        this(firstBackoff, maxBackoff, crashLimit, crashWindow, stopStep, portAttempts, pollInterval, updateDeadline,
                System::nanoTime);
    }

    /** @return the same values with the start timeout measured on another clock (tests) */
    public SelfStartTuning withStartClock(LongSupplier clock) {
        return new SelfStartTuning(firstBackoff, maxBackoff, crashLimit, crashWindow, stopStep, portAttempts,
                pollInterval, updateDeadline, clock);
    }

    /**
     * Returns the wait before relaunching after the n-th crash in the window.
     *
     * @param crashes crashes counted so far, at least 1
     * @return {@code firstBackoff * 2^(crashes-1)}, capped at {@code maxBackoff}
     */
    Duration backoff(int crashes) {
        Duration wait = firstBackoff;
        for (int i = 1; i < crashes && wait.compareTo(maxBackoff) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }
}
