package dev.switchboard.server.outputs;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code Range} request header against a file of a given size (RFC 9110, 14.2): one range of bytes is served;
 * a header that is missing, malformed, in another unit or asks for several ranges is ignored (the whole file is
 * served, as the RFC allows); a range that starts past the end cannot be satisfied.
 */
final class ByteRanges {
    private static final Pattern RANGE = Pattern.compile("(\\d*)[ \\t]*-[ \\t]*(\\d*)");

    private ByteRanges() {
    }

    /** What to send. */
    sealed interface Outcome permits Whole, Part, Unsatisfiable {
    }

    /** The whole file, 200. */
    record Whole() implements Outcome {
    }

    /** Bytes {@code first} to {@code last}, both included, 206. */
    record Part(long first, long last) implements Outcome {
        long length() {
            return last - first + 1;
        }
    }

    /** Nothing of the file is in the range, 416. */
    record Unsatisfiable() implements Outcome {
    }

    static Outcome parse(String header, long size) {
        if (header == null) {
            return new Whole();
        }
        String value = header.strip();
        if (!value.toLowerCase(Locale.ROOT).startsWith("bytes=")) {
            return new Whole();
        }
        Matcher range = RANGE.matcher(value.substring("bytes=".length()).strip());
        if (!range.matches() || (range.group(1).isEmpty() && range.group(2).isEmpty())) {
            return new Whole();
        }
        if (range.group(1).isEmpty()) {
            long suffix = number(range.group(2));
            if (suffix == 0 || size == 0) {
                return new Unsatisfiable();
            }
            return new Part(Math.max(0, size - suffix), size - 1);
        }
        long first = number(range.group(1));
        long last = range.group(2).isEmpty() ? Long.MAX_VALUE : number(range.group(2));
        if (last < first) {
            return new Whole();
        }
        if (first >= size) {
            return new Unsatisfiable();
        }
        return new Part(first, Math.min(last, size - 1));
    }

    /** Digits as a number; more than a long holds counts as the largest long (past the end of any file). */
    private static long number(String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}
