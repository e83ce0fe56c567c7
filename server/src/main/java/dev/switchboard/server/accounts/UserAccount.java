package dev.switchboard.server.accounts;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/**
 * A stored user. The password is kept only as its Argon2id hash; {@link #toString()} never shows it.
 *
 * @param name lower-case name, also the user's outputs folder
 * @param passwordHash the password's hash in PHC string form ({@code $argon2id$v=19$m=...})
 * @param roles the names of the user's roles, at least one
 * @param created when the user was added
 */
public record UserAccount(String name, String passwordHash, List<String> roles, Instant created) {

    public UserAccount {
        requireNonNull(name, "name is null");
        requireNonNull(passwordHash, "passwordHash is null");
        roles = List.copyOf(requireNonNull(roles, "roles is null"));
        requireNonNull(created, "created is null");
        if (roles.isEmpty()) {
            throw new IllegalArgumentException("a user has at least one role");
        }
    }

    /** @return the same user with another password hash */
    public UserAccount withPasswordHash(String hash) {
        return new UserAccount(name, hash, roles, created);
    }

    @Override
    public String toString() {
        return "UserAccount[name=" + name + ", roles=" + roles + ", created=" + created + "]";
    }
}
