package dev.switchboard.plugins.swarm;

import static java.util.Objects.requireNonNull;

import dev.switchboard.api.settings.Secret;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The headers sent with every call to the remote: {@code Authorization} from the secret setting and each
 * {@code Name: value} line of {@code OtherHeaders}. Parsing reports problems as sentences that never quote
 * the secret, so they can go into setting issues and logs.
 */
final class RequestHeaders {

    // RFC 9110 token characters.
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    // Headers the JDK client sets itself and refuses from callers.
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");

    private final Map<String, String> values;

    private RequestHeaders(Map<String, String> values) {
        this.values = values;
    }

    /**
     * Parses both header settings.
     *
     * @throws IllegalArgumentException with every problem found, when one of them is malformed
     */
    static RequestHeaders parse(Secret authorization, String otherHeaders) {
        List<String> problems = new ArrayList<>();
        problems.addAll(authorizationProblems(authorization));
        problems.addAll(otherHeaderProblems(otherHeaders));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join(" ", problems));
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : otherHeaders.split("\\R")) {
            if (!line.isBlank()) {
                int colon = line.indexOf(':');
                values.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
            }
        }
        if (!authorization.isEmpty()) {
            values.put("Authorization", authorization.reveal().strip());
        }
        return new RequestHeaders(values);
    }

    /** Problems of the {@code AuthorizationHeader} value, which must read {@code <scheme> <value>}. */
    static List<String> authorizationProblems(Secret authorization) {
        requireNonNull(authorization, "authorization is null");
        if (authorization.isEmpty()) {
            return List.of();
        }
        String text = authorization.reveal().strip();
        int space = text.indexOf(' ');
        boolean wellFormed = space > 0 && TOKEN.matcher(text.substring(0, space)).matches()
                && !text.substring(space + 1).isBlank() && text.chars().noneMatch(c -> c < 0x20 || c == 0x7f);
        return wellFormed ? List.of() : List.of("AuthorizationHeader must be written as '<scheme> <value>', "
                + "for example 'Bearer abc123' (the value given is not shown because it is secret).");
    }

    /** Problems of the {@code OtherHeaders} text: each non-blank line must be {@code Name: value}. */
    static List<String> otherHeaderProblems(String otherHeaders) {
        List<String> problems = new ArrayList<>();
        String[] lines = otherHeaders.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank()) {
                continue;
            }
            int colon = line.indexOf(':');
            String name = colon < 0 ? "" : line.substring(0, colon).strip();
            String value = colon < 0 ? "" : line.substring(colon + 1).strip();
            String where = "OtherHeaders line " + (i + 1);
            if (colon < 0 || !TOKEN.matcher(name).matches() || value.isEmpty()) {
                problems.add(where + " must be written as 'Name: value', for example 'X-Api-Key: abc123'.");
            } else if (RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
                problems.add(where + " sets " + name + ", which is managed by the connection itself.");
            } else if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                problems.add(where + " contains control characters.");
            }
        }
        return problems;
    }

    /** @return header name to value, in the order sent; includes the secret, never log it */
    Map<String, String> values() {
        return values;
    }
}
