package dev.switchboard.server.accounts;

import dev.switchboard.server.sessions.Permission.Level;
import dev.switchboard.server.sessions.Permission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The roles every accounts file starts with, SwarmUI's by trust: {@code owner} holds everything ({@code *}),
 * each other role every permission whose {@link Permission#level() level} it or a less trusted role has. An
 * owner may edit them (except the owner's permissions) but not delete them.
 */
public final class BuiltInRoles {
    /** The role that holds every permission and can never lose it. */
    public static final String OWNER = "owner";
    /** How many generations a user may run at once unless the role says otherwise (SwarmUI's default). */
    static final int DEFAULT_MAX_T2I_SIMULTANEOUS = 32;
    /** How deep output folders may go unless the role says otherwise (SwarmUI's default). */
    static final int DEFAULT_MAX_OUTPATH_DEPTH = 5;

    private BuiltInRoles() {
    }

    /** @return the built-in roles, most trusted first */
    public static List<Role> all() {
        List<Role> roles = new ArrayList<>();
        roles.add(role(OWNER, "Holds every permission: the server's owner.", Set.of(Permission.ALL)));
        for (Level level : Level.values()) {
            if (level != Level.OWNER) {
                roles.add(role(level.role(), description(level), permissionsOf(level)));
            }
        }
        return List.copyOf(roles);
    }

    /** @return whether a role name is one of the built-in roles */
    public static boolean isBuiltIn(String name) {
        if (OWNER.equals(name)) {
            return true;
        }
        for (Level level : Level.values()) {
            if (level.role().equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** The permission ids of a built-in level: every permission at that level or a less trusted one. */
    static Set<String> permissionsOf(Level level) {
        Set<String> ids = new TreeSet<>();
        for (Permission permission : Permission.values()) {
            if (permission != Permission.PUBLIC && permission.level().compareTo(level) >= 0) {
                ids.add(permission.id());
            }
        }
        return ids;
    }

    private static Role role(String name, String description, Set<String> permissions) {
        return new Role(name, description, permissions, DEFAULT_MAX_OUTPATH_DEPTH, DEFAULT_MAX_T2I_SIMULTANEOUS,
                false, List.of(), List.of());
    }

    private static String description(Level level) {
        return switch (level) {
            case ADMINS -> "Manages backends and users; cannot define roles.";
            case POWERUSERS -> "Generates, loads models, restarts backends and runs raw workflows.";
            case USERS -> "Generates images and sees their own outputs.";
            case GUESTS -> "Sees the models and parameters; cannot generate.";
            case OWNER -> throw new IllegalArgumentException("the owner's role is not a level role");
        };
    }
}
