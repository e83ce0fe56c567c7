package dev.switchboard.server.http;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Optional;

/**
 * Reads a JSON number the way Newtonsoft.Json does: a number written without {@code .}, {@code e} or {@code E}
 * is an integer (of any size), anything else is a double. Gives the two texts SwarmUI shows for it.
 */
final class JsonNumberText {

    private JsonNumberText() {
    }

    /** The token's text form, e.g. {@code 5} for {@code 5}, {@code 3} for {@code 3.0}, {@code 100} for {@code 1e2}. */
    static String plain(Number number) {
        return integerValue(number).map(BigInteger::toString)
                .orElseGet(() -> DotNetDoubleText.general(number.doubleValue()));
    }

    /** The number as Newtonsoft writes it inside JSON text, e.g. {@code 3.0} for {@code 3.0}. */
    static String json(Number number) {
        return integerValue(number).map(BigInteger::toString)
                .orElseGet(() -> DotNetDoubleText.json(number.doubleValue()));
    }

    private static Optional<BigInteger> integerValue(Number number) {
        if (number instanceof Integer || number instanceof Long || number instanceof Short
                || number instanceof Byte) {
            return Optional.of(BigInteger.valueOf(number.longValue()));
        }
        if (number instanceof BigInteger) {
            return Optional.of((BigInteger) number);
        }
        if (number instanceof Double || number instanceof Float || number instanceof BigDecimal) {
            return Optional.empty();
        }
        // A number as parsed from JSON text (Gson keeps the original digits): decide by how it was written.
        String text = number.toString();
        if (text.indexOf('.') >= 0 || text.indexOf('e') >= 0 || text.indexOf('E') >= 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(new BigInteger(text));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
