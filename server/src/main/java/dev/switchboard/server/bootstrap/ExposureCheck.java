package dev.switchboard.server.bootstrap;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Refuses to expose an unauthenticated server beyond this machine: anyone who can reach it could add
 * backends that launch programs. Binding a non-loopback address needs accounts (a user in the users file),
 * {@code --required-authorization} or an explicit {@code --allow-unauthenticated}.
 */
final class ExposureCheck {

    private ExposureCheck() {
    }

    /** @return why the server must not start with these options, or empty when it may */
    static Optional<String> refusal(String host, boolean authenticated, boolean allowUnauthenticated) {
        if (authenticated || allowUnauthenticated || isLoopback(host)) {
            return Optional.empty();
        }
        return Optional.of("refusing to listen on " + host + " without authentication: anyone who reaches it could"
                + " manage backends and start programs. Add a user ('bin/switchboard user add NAME --role owner':"
                + " accounts then need a login or API key for everything), or set --required-authorization (or the"
                + " environment variable SWITCHBOARD_REQUIRED_AUTHORIZATION), or pass --allow-unauthenticated if the"
                + " network is trusted.");
    }

    private static boolean isLoopback(String host) {
        try {
            InetAddress[] addresses = InetAddress.getAllByName(host);
            for (InetAddress address : addresses) {
                if (!address.isLoopbackAddress()) {
                    return false;
                }
            }
            return addresses.length > 0;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
