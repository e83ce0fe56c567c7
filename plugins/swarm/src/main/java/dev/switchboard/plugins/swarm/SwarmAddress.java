package dev.switchboard.plugins.swarm;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/** Checks and normalises the {@code Address} setting of a Swarm backend. */
final class SwarmAddress {

    private static final String EXAMPLE = "http://192.168.1.2:7801";

    private SwarmAddress() {
    }

    /**
     * Normalises an address as typed: surrounding spaces and trailing slashes removed (SwarmUI appends
     * {@code /API/<Route>} to it).
     */
    static String normalize(String raw) {
        String address = raw.strip();
        while (address.endsWith("/")) {
            address = address.substring(0, address.length() - 1);
        }
        return address;
    }

    /**
     * Tells what is wrong with a non-empty, normalised address.
     *
     * @return a sentence an operator understands, or empty when the address is usable
     */
    static Optional<String> problem(String address) {
        URI uri;
        try {
            uri = new URI(address);
        } catch (URISyntaxException e) {
            return Optional.of("Address is not a valid URL (" + OperatorText.sanitize(e.getReason(), 80)
                    + "); write it like " + EXAMPLE + ".");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.of("Address must be a full URL starting with http:// or https://, for example "
                    + EXAMPLE + ".");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            return Optional.of("Address has no valid host name; write it like " + EXAMPLE + ".");
        }
        if (uri.getRawUserInfo() != null) {
            return Optional.of("Address must not contain a user name or password (use AuthorizationHeader); "
                    + "write it like " + EXAMPLE + ".");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return Optional.of("Address must not contain a query (?...) or a fragment (#...); write it like "
                    + EXAMPLE + ".");
        }
        return Optional.empty();
    }
}
