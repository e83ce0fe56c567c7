package dev.switchboard.server.http;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Writes a double the way .NET (Core 3.0 and later) does with the invariant culture, because SwarmUI's error
 * messages quote numbers in that form: the shortest digits that read back as the same double, laid out as
 * fixed-point unless the decimal exponent is below -5 or beyond the digit count (at least 15), e.g. {@code 3},
 * {@code 0.5}, {@code 1E+20}, {@code 1E-05}.
 */
public final class DotNetDoubleText {

    private static final int DOUBLE_PRECISION = 15;
    private static final int MAX_SIGNIFICANT_DIGITS = 17;

    private DotNetDoubleText() {
    }

    /** The text of {@code double.ToString()}. */
    public static String general(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        boolean negative = Double.compare(value, 0.0) < 0;
        StringBuilder text = new StringBuilder();
        if (negative) {
            text.append('-');
        }
        if (value == 0.0) {
            return text.append('0').toString();
        }
        BigDecimal shortest = shortestRoundTrip(Math.abs(value));
        String digits = shortest.unscaledValue().toString();
        // The decimal point sits this many digits into `digits` (negative: that many zeros before them).
        int point = digits.length() - shortest.scale();
        int maxFixedDigits = Math.max(digits.length(), DOUBLE_PRECISION);
        if (point > maxFixedDigits || point < -3) {
            appendScientific(text, digits, point - 1);
        } else if (point <= 0) {
            text.append("0.").append("0".repeat(-point)).append(digits);
        } else if (point >= digits.length()) {
            text.append(digits).append("0".repeat(point - digits.length()));
        } else {
            text.append(digits, 0, point).append('.').append(digits, point, digits.length());
        }
        return text.toString();
    }

    /**
     * The text Newtonsoft.Json writes for a double inside JSON: the general text with {@code .0} added when it
     * would otherwise read as an integer; non-finite values as strings.
     */
    static String json(double value) {
        String text = general(value);
        if (!Double.isFinite(value)) {
            return '"' + text + '"';
        }
        if (text.indexOf('.') < 0 && text.indexOf('E') < 0) {
            return text + ".0";
        }
        return text;
    }

    private static void appendScientific(StringBuilder text, String digits, int exponent) {
        text.append(digits.charAt(0));
        if (digits.length() > 1) {
            text.append('.').append(digits, 1, digits.length());
        }
        text.append('E').append(exponent < 0 ? '-' : '+');
        String magnitude = Integer.toString(Math.abs(exponent));
        if (magnitude.length() < 2) {
            text.append('0');
        }
        text.append(magnitude);
    }

    /**
     * The decimal with the fewest significant digits that converts back to {@code value}; among those of that
     * length, the one nearest to it. Java 17's {@code Double.toString} is not always shortest, so search.
     */
    private static BigDecimal shortestRoundTrip(double value) {
        BigDecimal exact = new BigDecimal(value);
        for (int precision = 1; precision <= MAX_SIGNIFICANT_DIGITS; precision++) {
            BigDecimal nearest = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
            if (nearest.doubleValue() == value) {
                return nearest.stripTrailingZeros();
            }
            // Near a power of two the round-trip interval is lopsided: the other neighbour may still fit.
            RoundingMode otherWay = nearest.compareTo(exact) < 0 ? RoundingMode.CEILING : RoundingMode.FLOOR;
            BigDecimal other = exact.round(new MathContext(precision, otherWay));
            if (other.doubleValue() == value) {
                return other.stripTrailingZeros();
            }
        }
        return exact.round(new MathContext(MAX_SIGNIFICANT_DIGITS, RoundingMode.HALF_EVEN)).stripTrailingZeros();
    }
}
