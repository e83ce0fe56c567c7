package dev.switchboard.server.http;

import static java.util.Objects.requireNonNull;

/**
 * Where the API listens and how large a request body may be.
 *
 * @param host the address to bind, e.g. {@code 127.0.0.1}
 * @param port the port; 0 picks any free port (see {@link ApiServer#port()})
 * @param maxRequestBytes the largest accepted request body; larger ones are refused before being read
 */
public record HttpOptions(String host, int port, long maxRequestBytes) {

    public HttpOptions {
        requireNonNull(host, "host is null");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be between 0 and 65535: " + port);
        }
        // The body is collected into one byte array, so it must fit one.
        if (maxRequestBytes < 1 || maxRequestBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("maxRequestBytes must be between 1 and 2 GiB: " + maxRequestBytes);
        }
    }
}
