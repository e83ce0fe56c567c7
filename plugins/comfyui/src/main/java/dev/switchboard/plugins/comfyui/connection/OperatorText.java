package dev.switchboard.plugins.comfyui.connection;

import java.time.Duration;

/** Formats values for messages operators read: durations, and text that came from a remote server. */
public final class OperatorText {

    private OperatorText() {
    }

    /**
     * Formats a duration the short way: {@code 60 s}, {@code 1500 ms}.
     *
     * @param duration a non-negative duration
     * @return the text
     */
    public static String describe(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }
}
