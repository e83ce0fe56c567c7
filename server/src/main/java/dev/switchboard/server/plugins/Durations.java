package dev.switchboard.server.plugins;

import java.time.Duration;

/** Human-readable durations for operator messages ("2 minutes", "1.5 seconds"). */
public final class Durations {
    private Durations() {
    }

    /**
     * Describes a duration in the largest whole unit that fits.
     *
     * @return e.g. {@code "2 minutes"}, {@code "3 seconds"}, {@code "1.5 seconds"}, {@code "250 ms"}
     */
    public static String describe(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 1000) {
            return millis + " ms";
        }
        if (millis % 60_000 == 0) {
            long minutes = millis / 60_000;
            return minutes + (minutes == 1 ? " minute" : " minutes");
        }
        if (millis % 1000 == 0) {
            long seconds = millis / 1000;
            return seconds + (seconds == 1 ? " second" : " seconds");
        }
        return String.format(java.util.Locale.ROOT, "%.1f seconds", millis / 1000.0);
    }
}
