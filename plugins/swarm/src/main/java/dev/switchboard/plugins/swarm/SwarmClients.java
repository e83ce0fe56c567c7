package dev.switchboard.plugins.swarm;

import dev.switchboard.plugins.support.SharedHttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The HTTP clients the control backends of one {@code swarmswarmbackend} type share: one {@link SharedHttpClient}
 * per connect timeout. The JDK sets the connect timeout per client, and a backend's
 * {@code ConnectionAttemptTimeoutSeconds} is both its connect timeout and each call's deadline, so backends with
 * the same setting (normally all: it has a default) share one client, its selector thread, callback pool and
 * connection pool. A holder whose last lease is given back keeps no thread; the map keeps only the holders, one per
 * timeout ever used (the setting is a whole number of seconds up to an hour). Thread-safe.
 */
final class SwarmClients {
    /**
     * Calls in flight per remote, rather than SharedHttpClient's default 16 (made for ComfyUI's one engine per
     * address): with AllowWebsocket off each generating child holds a call for up to 10 minutes, a remote may run
     * more than 16 backends, and the control's own calls must not wait behind their generations.
     */
    static final int MAX_IN_FLIGHT_PER_REMOTE = 256;

    private final Map<Duration, SharedHttpClient> byConnectTimeout = new ConcurrentHashMap<>();

    /**
     * @param connectTimeout the backend's connect timeout
     * @return the client shared by the backends with that connect timeout; lease it, and close the lease when done
     */
    SharedHttpClient forConnectTimeout(Duration connectTimeout) {
        return byConnectTimeout.computeIfAbsent(connectTimeout,
                timeout -> new SharedHttpClient(timeout, "swarm-http", MAX_IN_FLIGHT_PER_REMOTE));
    }

    /** @return the leases held on all the clients together */
    int leases() {
        return byConnectTimeout.values().stream().mapToInt(SharedHttpClient::leases).sum();
    }

    /** @return how many clients hold leases now (each has one selector thread and one callback pool) */
    int clientsInUse() {
        return (int) byConnectTimeout.values().stream().filter(client -> client.leases() > 0).count();
    }
}
