package dev.switchboard.plugins.support;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks and normalises an {@code Address} setting that points at an engine's HTTP API (a ComfyUI, a remote
 * Swarm server), with messages an operator can act on.
 */
public final class EngineAddress {
    private final String example;
    private final String credentialsAdvice;

    /**
     * Creates a checker.
     *
     * @param example an address of the right shape for messages, e.g. {@code http://127.0.0.1:8188}
     * @param credentialsAdvice what to use instead of credentials in the URL, e.g. {@code " (use
     *     AuthorizationHeader)"}; empty for none
     */
    public EngineAddress(String example, String credentialsAdvice) {
        this.example = requireNonNull(example, "example is null");
        this.credentialsAdvice = requireNonNull(credentialsAdvice, "credentialsAdvice is null");
    }

    /**
     * Normalises an address as typed: surrounding spaces and trailing slashes removed.
     *
     * @param raw the setting's value
     * @return the address used in requests and messages; empty when none is set
     */
    public static String normalize(String raw) {
        String address = raw.strip();
        while (address.endsWith("/")) {
            address = address.substring(0, address.length() - 1);
        }
        return address;
    }

    /**
     * Tells what is wrong with a non-empty, normalised address.
     *
     * @param address the normalised address
     * @return a sentence an operator understands, or empty when the address is usable
     */
    public Optional<String> problem(String address) {
        URI uri;
        try {
            uri = new URI(address);
        } catch (URISyntaxException e) {
            return Optional.of("Address is not a valid URL (" + UntrustedText.sanitize(e.getReason(), 80) + "); write it like "
                    + example + ".");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.of("Address must be a full URL starting with http:// or https://, for example "
                    + example + ".");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            return Optional.of("Address has no valid host name; write it like " + example + ".");
        }
        if (uri.getRawUserInfo() != null) {
            return Optional.of("Address must not contain a user name or password" + credentialsAdvice
                    + "; write it like " + example + ".");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return Optional.of("Address must not contain a query (?...) or a fragment (#...); write it like "
                    + example + ".");
        }
        return Optional.empty();
    }

}
