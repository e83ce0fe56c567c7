package dev.switchboard.server.accounts;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Everything the users file holds: users, roles and API keys, each list in the order it is written. Immutable;
 * a change makes a new state, which is saved before it is served.
 */
public record AccountsState(List<UserAccount> users, List<Role> roles, List<ApiKey> apiKeys) {

    /** No users, no keys, the built-in roles: a server whose accounts are off. */
    public static AccountsState initial() {
        return new AccountsState(List.of(), BuiltInRoles.all(), List.of());
    }

    public AccountsState {
        users = List.copyOf(requireNonNull(users, "users is null"));
        roles = List.copyOf(requireNonNull(roles, "roles is null"));
        apiKeys = List.copyOf(requireNonNull(apiKeys, "apiKeys is null"));
    }
}
