package dev.switchboard.server.sessions;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One API session: the id clients send as {@code session_id}, the user it belongs to and the permission ids
 * that user holds ({@value Permission#ALL} grants everything).
 */
public record Session(String id, String userId, List<String> permissions) {

    public Session {
        requireNonNull(id, "id is null");
        requireNonNull(userId, "userId is null");
        permissions = List.copyOf(requireNonNull(permissions, "permissions is null"));
    }

    /** Tells whether this session may use something guarded by the given permission. */
    public boolean hasPermission(Permission permission) {
        return requireNonNull(permission, "permission is null").isGrantedBy(permissions);
    }
}
