package dev.switchboard.server.http;

import static java.util.Objects.requireNonNull;

/**
 * Where the API listens, how large a request body may be, and who may send requests.
 *
 * @param host the address to bind, e.g. {@code 127.0.0.1}
 * @param port the port; 0 picks any free port (see {@link ApiServer#port()})
 * @param maxRequestBytes the largest accepted request body; larger ones are refused before being read
 * @param access the authorization, Host, Origin and CORS rules checked before any handler
 */
public record HttpOptions(String host, int port, long maxRequestBytes, AccessPolicy access) {

    public HttpOptions {
        requireNonNull(host, "host is null");
        requireNonNull(access, "access is null");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be between 0 and 65535: " + port);
        }
        // The body is collected into one byte array, so it must fit one.
        if (maxRequestBytes < 1 || maxRequestBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("maxRequestBytes must be between 1 and 2 GiB: " + maxRequestBytes);
        }
    }

    /** Options with the loopback defaults of {@link AccessPolicy#LOOPBACK_DEFAULTS}. */
    public HttpOptions(String host, int port, long maxRequestBytes) {
        this(host, port, maxRequestBytes, AccessPolicy.LOOPBACK_DEFAULTS);
    }
}
