package dev.switchboard.server.http;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * Parses text the way .NET's {@code int.Parse} and {@code bool.Parse} do with the invariant culture, which is
 * what decides whether SwarmUI accepts a parameter value.
 */
final class DotNetValueParser {

    private static final long INT32_MAGNITUDE_LIMIT = 1L << 31;

    private DotNetValueParser() {
    }

    /**
     * {@code int.Parse}: optional surrounding white space (tab to carriage return, space), an optional sign,
     * then ASCII digits only, within 32 bits.
     */
    static OptionalInt parseInt32(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isNumberWhiteSpace(text.charAt(start))) {
            start++;
        }
        while (end > start && isNumberWhiteSpace(text.charAt(end - 1))) {
            end--;
        }
        boolean negative = false;
        if (start < end && (text.charAt(start) == '+' || text.charAt(start) == '-')) {
            negative = text.charAt(start) == '-';
            start++;
        }
        if (start == end) {
            return OptionalInt.empty();
        }
        long magnitude = 0;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return OptionalInt.empty();
            }
            magnitude = magnitude * 10 + (c - '0');
            if (magnitude > INT32_MAGNITUDE_LIMIT) {
                return OptionalInt.empty();
            }
        }
        long value = negative ? -magnitude : magnitude;
        if (value > Integer.MAX_VALUE) {
            return OptionalInt.empty();
        }
        return OptionalInt.of((int) value);
    }

    /** {@code bool.Parse}: {@code true} or {@code false} in any case, surrounded by any white space or NULs. */
    static Optional<Boolean> parseBoolean(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isWhiteSpaceOrNul(text.charAt(start))) {
            start++;
        }
        while (end > start && isWhiteSpaceOrNul(text.charAt(end - 1))) {
            end--;
        }
        String word = text.substring(start, end);
        if (equalsAsciiIgnoreCase(word, "true")) {
            return Optional.of(Boolean.TRUE);
        }
        if (equalsAsciiIgnoreCase(word, "false")) {
            return Optional.of(Boolean.FALSE);
        }
        return Optional.empty();
    }

    private static boolean isNumberWhiteSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    /** .NET's {@code char.IsWhiteSpace} (Unicode separators, tab to carriage return, next line) or NUL. */
    private static boolean isWhiteSpaceOrNul(char c) {
        if (c == '\0' || c == '\u0085' || (c >= '\t' && c <= '\r')) {
            return true;
        }
        int type = Character.getType(c);
        return type == Character.SPACE_SEPARATOR || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }

    private static boolean equalsAsciiIgnoreCase(String text, String lowerCaseWord) {
        if (text.length() != lowerCaseWord.length()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            char lower = c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
            if (lower != lowerCaseWord.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
