package dev.switchboard.server.sessions;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One API session: the id clients send as {@code session_id}, the user it belongs to, the permission ids that
 * user holds ({@value Permission#ALL} grants everything) and what proved the user (see {@link Identity#origin()}).
 */
public record Session(String id, String userId, List<String> permissions, String origin) {

    public Session {
        requireNonNull(id, "id is null");
        requireNonNull(userId, "userId is null");
        permissions = List.copyOf(requireNonNull(permissions, "permissions is null"));
        requireNonNull(origin, "origin is null");
    }

    /** A session nothing in particular proved (a server without accounts). */
    public Session(String id, String userId, List<String> permissions) {
        this(id, userId, permissions, "");
    }

    /** Tells whether this session may use something guarded by the given permission. */
    public boolean hasPermission(Permission permission) {
        return requireNonNull(permission, "permission is null").isGrantedBy(permissions);
    }

    /** @return the identity the session acts as */
    public Identity identity() {
        return new Identity(userId, permissions, origin);
    }
}
