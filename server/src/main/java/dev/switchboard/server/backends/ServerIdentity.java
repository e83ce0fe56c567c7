package dev.switchboard.server.backends;

import static java.util.Objects.requireNonNull;

/**
 * Who this server process is: a fresh id per start (SwarmUI's {@code server_id}, used by remote servers to
 * detect loops) and the version text.
 */
public record ServerIdentity(String serverId, String version) {
    public ServerIdentity {
        requireNonNull(serverId, "serverId is null");
        requireNonNull(version, "version is null");
    }
}
