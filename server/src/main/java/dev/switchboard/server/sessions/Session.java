package dev.switchboard.server.sessions;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One API session: the id clients send as {@code session_id}, the user it belongs to and the permission ids
 * that user holds ({@value #ALL_PERMISSIONS} grants everything).
 */
public record Session(String id, String userId, List<String> permissions) {

    /** The permission id that stands for every permission. */
    public static final String ALL_PERMISSIONS = "*";

    public Session {
        requireNonNull(id, "id is null");
        requireNonNull(userId, "userId is null");
        permissions = List.copyOf(requireNonNull(permissions, "permissions is null"));
    }

    /** Tells whether this session may use something guarded by the given permission id. */
    public boolean hasPermission(String permission) {
        requireNonNull(permission, "permission is null");
        return permissions.contains(ALL_PERMISSIONS) || permissions.contains(permission);
    }
}
