package dev.switchboard.plugins.comfyui;

import java.time.Duration;

/** Formats values for messages operators read: durations, and text that came from a remote server. */
final class OperatorText {

    private OperatorText() {
    }

    /**
     * Formats a duration the short way: {@code 60 s}, {@code 1500 ms}.
     *
     * @param duration a non-negative duration
     * @return the text
     */
    static String describe(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }

    /**
     * Makes remote text safe to show: control and formatting characters (line breaks, escapes, bidi
     * overrides) become spaces, runs of spaces collapse, and the result is cut to {@code maxChars}.
     *
     * @param text the remote text
     * @param maxChars how many characters to keep at most
     * @return the cleaned text, with {@code ...} appended when it was cut
     */
    static String sanitize(String text, int maxChars) {
        StringBuilder clean = new StringBuilder();
        boolean lastWasSpace = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean unsafe = Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
                    || Character.isSurrogate(c) || Character.isWhitespace(c);
            if (unsafe) {
                if (!lastWasSpace && clean.length() > 0) {
                    clean.append(' ');
                }
                lastWasSpace = true;
            } else {
                clean.append(c);
                lastWasSpace = false;
            }
        }
        String result = clean.toString().strip();
        return result.length() <= maxChars ? result : result.substring(0, maxChars) + "...";
    }
}
