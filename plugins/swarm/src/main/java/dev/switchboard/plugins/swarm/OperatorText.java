package dev.switchboard.plugins.swarm;

/** Makes untrusted text (remote answers, exception messages) safe to show in one status line. */
final class OperatorText {

    private OperatorText() {
    }

    /** Replaces control characters with spaces and cuts the text to {@code maxChars}, marking the cut. */
    static String sanitize(String text, int maxChars) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), maxChars + 3));
        for (int i = 0; i < text.length() && out.length() < maxChars; i++) {
            char c = text.charAt(i);
            out.append(Character.isISOControl(c) ? ' ' : c);
        }
        if (text.length() > maxChars) {
            out.append("...");
        }
        return out.toString().strip();
    }
}
