package dev.switchboard.server.secrets;

import dev.switchboard.api.settings.SettingDefinition;
import dev.switchboard.api.settings.Settings;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The secret values of one backend's settings: every non-empty secret setting (and, for a value written
 * {@code <scheme> <token>} such as {@code Bearer abc123}, the token alone, as an engine may echo just that), and
 * the values of header-list settings. Also masks and restores the values of header lists, which show their
 * header names but not their values.
 */
public final class SecretValues {
    /** Shorter values are not redacted from text: one or two characters would garble every message. */
    static final int MIN_REDACTED_LENGTH = 3;

    private SecretValues() {
    }

    /** The values to keep out of every text the host shows or logs, longest first. */
    public static Set<String> of(Settings settings) {
        List<String> found = new ArrayList<>();
        for (SettingDefinition definition : settings.schema().definitions()) {
            Object value = settings.values().get(definition.name());
            if (!(value instanceof String text)) {
                continue;
            }
            if (definition.isSecret()) {
                found.add(text.strip());
                int space = text.strip().indexOf(' ');
                if (space > 0) {
                    found.add(text.strip().substring(space + 1).strip());
                }
            } else if (definition.isHeaderList()) {
                for (Header header : headers(text)) {
                    found.add(header.value());
                }
            }
        }
        found.removeIf(value -> value.length() < MIN_REDACTED_LENGTH);
        found.sort((a, b) -> Integer.compare(b.length(), a.length()));
        return new LinkedHashSet<>(found);
    }

    /** The header-list text as clients see it: each non-empty value replaced by {@code placeholder}. */
    public static String maskHeaderValues(String text, String placeholder) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Header header = parse(lines[i]);
            if (header != null && !header.value().isEmpty()) {
                lines[i] = lines[i].substring(0, lines[i].indexOf(':') + 1) + " " + placeholder;
            }
        }
        return String.join("\n", lines);
    }

    /**
     * Puts the stored values back into a header-list text a client sent: a line whose value is exactly
     * {@code placeholder} takes the stored value of the same header (names compared ignoring case, in order).
     * A placeholder with no stored header of that name stays as it is.
     */
    public static String restoreHeaderValues(String incoming, String stored, String placeholder) {
        List<Header> unused = new ArrayList<>(headers(stored));
        String[] lines = incoming.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Header header = parse(lines[i]);
            if (header == null || !header.value().equals(placeholder.strip())) {
                continue;
            }
            for (Header candidate : unused) {
                if (candidate.name().equalsIgnoreCase(header.name())) {
                    lines[i] = lines[i].substring(0, lines[i].indexOf(':') + 1) + " " + candidate.value();
                    unused.remove(candidate);
                    break;
                }
            }
        }
        return String.join("\n", lines);
    }

    private static List<Header> headers(String text) {
        List<Header> headers = new ArrayList<>();
        for (String line : text.split("\n")) {
            Header header = parse(line);
            if (header != null && !header.value().isEmpty()) {
                headers.add(header);
            }
        }
        return headers;
    }

    /** A {@code Name: value} line, or null for anything else (blank lines, lines without a colon). */
    private static Header parse(String line) {
        int colon = line.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        return new Header(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
    }

    private record Header(String name, String value) {
    }
}
