package dev.switchboard.examples.autowebui;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/** Checks and normalises the {@code Address} setting: an http(s) URL with a host, without query or fragment. */
final class WebUiAddress {
    static final String EXAMPLE = "http://localhost:7860";

    private WebUiAddress() {
    }

    /**
     * Returns why an address is unusable, if it is.
     *
     * @param address the setting's value, not empty
     * @return the operator's message, or empty when it is usable
     */
    static Optional<String> problem(String address) {
        URI uri;
        try {
            uri = new URI(address.trim());
        } catch (URISyntaxException e) {
            return Optional.of("Address '" + address + "' is not a URL: use the WebUI's address, e.g. " + EXAMPLE + ".");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.of("Address '" + address + "' must start with http:// or https://, e.g. " + EXAMPLE + ".");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            return Optional.of("Address '" + address + "' names no host, e.g. " + EXAMPLE + ".");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return Optional.of("Address '" + address + "' must not have a query or fragment: use the WebUI's base"
                    + " address, e.g. " + EXAMPLE + ".");
        }
        return Optional.empty();
    }

    /**
     * Returns the base of the WebUI's API for a usable address.
     *
     * @param address a value for which {@link #problem} is empty
     * @return e.g. {@code http://localhost:7860/sdapi/v1/}
     */
    static URI apiBase(String address) {
        String trimmed = address.trim();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return URI.create(trimmed + "/sdapi/v1/");
    }
}
