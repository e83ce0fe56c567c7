package dev.switchboard.plugins.support;

/** Makes text that came from elsewhere (a remote answer, a process's output, an exception) safe for one status line. */
public final class UntrustedText {
    private UntrustedText() {
    }

    /**
     * Makes remote text safe to show: control and formatting characters (line breaks, escapes, bidi
     * overrides) become spaces, runs of spaces collapse, and the result is cut to {@code maxChars}.
     *
     * @param text the remote text
     * @param maxChars how many characters to keep at most
     * @return the cleaned text, with {@code ...} appended when it was cut
     */
    public static String sanitize(String text, int maxChars) {
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
