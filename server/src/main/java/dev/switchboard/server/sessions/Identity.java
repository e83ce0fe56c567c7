package dev.switchboard.server.sessions;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Who a request acts as: a user, the permission ids they hold now, and what proved it (the origin: a login or
 * an API key, whose end also ends the sessions made through it).
 *
 * @param user the user's name; empty for an anonymous caller of a server with accounts
 * @param permissions the permission ids held ({@value Permission#ALL} grants all)
 * @param origin {@code login:<id>}, {@code key:<id>}, or empty when nothing was proved
 */
public record Identity(String user, List<String> permissions, String origin) {
    /** The single user of a server without accounts: {@code local}, holding everything. */
    public static final Identity LOCAL = new Identity("local", List.of(Permission.ALL), "");
    /** A caller of a server with accounts who has not logged in: no user, no permissions. */
    public static final Identity ANONYMOUS = new Identity("", List.of(), "");

    public Identity {
        requireNonNull(user, "user is null");
        permissions = List.copyOf(requireNonNull(permissions, "permissions is null"));
        requireNonNull(origin, "origin is null");
    }

    /** @return whether this identity holds the permission */
    public boolean has(Permission permission) {
        return permission.isGrantedBy(permissions);
    }

    /** @return whether no user is known */
    public boolean anonymous() {
        return user.isEmpty();
    }
}
