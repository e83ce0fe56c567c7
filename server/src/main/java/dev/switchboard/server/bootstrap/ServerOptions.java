package dev.switchboard.server.bootstrap;

import static java.util.Objects.requireNonNull;

import dev.switchboard.server.dispatch.DispatchOptions;
import dev.switchboard.server.http.AccessPolicy;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The server's start-up options.
 *
 * @param host the address to bind, e.g. {@code 127.0.0.1}
 * @param port the port; 0 picks a free one
 * @param dataDirectory where backends.json and the lock file live (absolute)
 * @param pluginsDirectory where plugins are loaded from (absolute)
 * @param lockSettings refuse every route that changes backends
 * @param maxRequestBytes the largest request body accepted
 * @param startTimeout how long a backend that launches its engine may take to become ready
 * @param access the authorization, Host, Origin and CORS rules for every request
 * @param dispatch the job queue's bounds and timeouts
 */
public record ServerOptions(String host, int port, Path dataDirectory, Path pluginsDirectory, boolean lockSettings,
                            long maxRequestBytes, Duration startTimeout, AccessPolicy access,
                            DispatchOptions dispatch) {
    public ServerOptions {
        requireNonNull(access, "access is null");
        requireNonNull(dispatch, "dispatch is null");
        requireNonNull(host, "host is null");
        requireNonNull(dataDirectory, "dataDirectory is null");
        requireNonNull(pluginsDirectory, "pluginsDirectory is null");
        dataDirectory = dataDirectory.toAbsolutePath().normalize();
        pluginsDirectory = pluginsDirectory.toAbsolutePath().normalize();
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535: " + port);
        }
        requireNonNull(startTimeout, "startTimeout is null");
        if (startTimeout.isNegative() || startTimeout.isZero()) {
            throw new IllegalArgumentException("the start timeout must be positive: " + startTimeout);
        }
        if (maxRequestBytes <= 0) {
            throw new IllegalArgumentException("maxRequestBytes must be positive: " + maxRequestBytes);
        }
    }

    /** Options with the dispatcher's defaults. */
    public ServerOptions(String host, int port, Path dataDirectory, Path pluginsDirectory, boolean lockSettings,
                         long maxRequestBytes, Duration startTimeout, AccessPolicy access) {
        this(host, port, dataDirectory, pluginsDirectory, lockSettings, maxRequestBytes, startTimeout, access,
                DispatchOptions.defaults());
    }

    /** Options with the loopback defaults of {@link AccessPolicy#LOOPBACK_DEFAULTS}. */
    public ServerOptions(String host, int port, Path dataDirectory, Path pluginsDirectory, boolean lockSettings,
                         long maxRequestBytes, Duration startTimeout) {
        this(host, port, dataDirectory, pluginsDirectory, lockSettings, maxRequestBytes, startTimeout,
                AccessPolicy.LOOPBACK_DEFAULTS);
    }
}
