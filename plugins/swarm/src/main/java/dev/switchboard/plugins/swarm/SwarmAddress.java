package dev.switchboard.plugins.swarm;

import dev.switchboard.plugins.support.EngineAddress;
import java.util.Optional;

/**
 * The {@code Address} setting of a Swarm backend (SwarmUI appends {@code /API/<Route>} to it), checked with the
 * shared rules.
 */
final class SwarmAddress {
    private static final EngineAddress ADDRESSES = new EngineAddress("http://192.168.1.2:7801", " (use AuthorizationHeader)");

    private SwarmAddress() {
    }

    static String normalize(String raw) {
        return EngineAddress.normalize(raw);
    }

    static Optional<String> problem(String address) {
        return ADDRESSES.problem(address);
    }
}
