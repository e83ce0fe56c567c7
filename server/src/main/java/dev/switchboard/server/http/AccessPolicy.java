package dev.switchboard.server.http;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who may talk to the server over HTTP: the required {@code Authorization} value (SwarmUI's
 * {@code RequiredAuthorization}), the extra host names and origins accepted besides the loopback names and the
 * bound host, and the one origin that gets CORS headers.
 *
 * @param requiredAuthorization the exact {@code Authorization} header every request must carry; empty for none
 * @param allowedHosts extra {@code Host} names accepted (without port), e.g. {@code gpu-box.lan}
 * @param allowedOrigins extra {@code Origin}s accepted on POST, e.g. {@code http://tools.lan:8080}
 * @param corsOrigin the origin to answer with {@code Access-Control-Allow-Origin}; empty sends no CORS headers
 */
public record AccessPolicy(Optional<String> requiredAuthorization, Set<String> allowedHosts,
                           Set<String> allowedOrigins, Optional<String> corsOrigin) {

    /** No authorization, no extra hosts or origins, no CORS: the loopback-only default. */
    public static final AccessPolicy LOOPBACK_DEFAULTS =
            new AccessPolicy(Optional.empty(), Set.of(), Set.of(), Optional.empty());

    public AccessPolicy {
        requireNonNull(requiredAuthorization, "requiredAuthorization is null");
        // A blank value would let every client in, so it counts as "not set" (as in SwarmUI).
        requiredAuthorization = requiredAuthorization.filter(value -> !value.isBlank());
        allowedHosts = lowerCased(requireNonNull(allowedHosts, "allowedHosts is null"));
        allowedOrigins = requireNonNull(allowedOrigins, "allowedOrigins is null").stream()
                .map(AccessPolicy::normalizedOrigin).collect(Collectors.toUnmodifiableSet());
        corsOrigin = requireNonNull(corsOrigin, "corsOrigin is null").filter(value -> !value.isBlank())
                .map(AccessPolicy::normalizedOrigin);
    }

    /** @return whether requests must carry the required {@code Authorization} value */
    public boolean requiresAuthorization() {
        return requiredAuthorization.isPresent();
    }

    /** Never shows the required authorization value: options end up in logs and error messages. */
    @Override
    public String toString() {
        return "AccessPolicy[requiredAuthorization=" + (requiresAuthorization() ? "<set>" : "<none>")
                + ", allowedHosts=" + allowedHosts + ", allowedOrigins=" + allowedOrigins
                + ", corsOrigin=" + corsOrigin.orElse("<none>") + "]";
    }

    static String normalizedOrigin(String origin) {
        String trimmed = origin.strip().toLowerCase(Locale.ROOT);
        return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }

    private static Set<String> lowerCased(Set<String> names) {
        return names.stream().map(name -> name.strip().toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
    }
}
