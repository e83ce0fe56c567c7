package dev.switchboard.server.routes.backends;

import java.util.ArrayList;
import java.util.List;

/**
 * SwarmUI's human text for how long ago a backend was used: {@code "Never"}, {@code "5 seconds ago"},
 * {@code "1 minute and 5 seconds ago"}, {@code "3 days and 1 hour ago"}. At most two units; a zero minor
 * unit is left out. Sub-second ages read {@code "0 seconds ago"} (SwarmUI says "from now", a bug we fix).
 */
final class TimeSinceUsed {
    private static final long SECOND = 1;
    private static final long MINUTE = 60 * SECOND;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;
    private static final long YEAR = 365 * DAY;
    private static final long[] UNITS = {YEAR, DAY, HOUR, MINUTE, SECOND};
    private static final String[] NAMES = {"year", "day", "hour", "minute", "second"};

    private TimeSinceUsed() {
    }

    /** @param agoMillis milliseconds since last use, or negative for never */
    static String describe(long agoMillis) {
        if (agoMillis < 0) {
            return "Never";
        }
        long seconds = agoMillis / 1000;
        for (int i = 0; i < UNITS.length; i++) {
            long major = seconds / UNITS[i];
            if (major == 0 && i < UNITS.length - 1) {
                continue;
            }
            List<String> parts = new ArrayList<>();
            parts.add(plural(major, NAMES[i]));
            if (i < UNITS.length - 1) {
                long minor = (seconds % UNITS[i]) / UNITS[i + 1];
                if (minor > 0) {
                    parts.add(plural(minor, NAMES[i + 1]));
                }
            }
            return String.join(" and ", parts) + " ago";
        }
        return "0 seconds ago";
    }

    private static String plural(long count, String unit) {
        return count + " " + unit + (count == 1 ? "" : "s");
    }
}
