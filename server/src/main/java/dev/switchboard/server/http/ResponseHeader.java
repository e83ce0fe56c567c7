package dev.switchboard.server.http;

import static java.util.Objects.requireNonNull;

/**
 * A header a route adds to its answer over HTTP, e.g. the login cookie's {@code Set-Cookie}. Never printed:
 * a cookie's value is a secret.
 *
 * @param name the header's name
 * @param value its value
 */
public record ResponseHeader(String name, String value) {
    public ResponseHeader {
        requireNonNull(name, "name is null");
        requireNonNull(value, "value is null");
    }

    @Override
    public String toString() {
        return "ResponseHeader[" + name + "]";
    }
}
