package dev.switchboard.server.accounts;

import static java.util.Objects.requireNonNull;

import dev.switchboard.server.limits.RoleLimits;
import dev.switchboard.server.sessions.Permission;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** One accounts state with its lookups: users and roles by name, keys by hash, each user's permissions. */
final class AccountsSnapshot {
    private final AccountsState state;
    private final Map<String, UserAccount> users = new HashMap<>();
    private final Map<String, Role> roles = new HashMap<>();
    private final Map<String, ApiKey> keysByHash = new HashMap<>();
    private final Map<String, List<String>> permissions = new HashMap<>();
    private final Map<String, List<RoleLimits>> limits = new HashMap<>();

    AccountsSnapshot(AccountsState state) {
        this.state = requireNonNull(state, "state is null");
        state.roles().forEach(role -> roles.put(role.name(), role));
        state.apiKeys().forEach(key -> keysByHash.put(key.keyHash(), key));
        for (UserAccount user : state.users()) {
            users.put(user.name(), user);
            permissions.put(user.name(), List.copyOf(grantedBy(user.roles())));
            limits.put(user.name(), rolesOf(user.name()).stream().map(role -> RoleLimits.of(role.maxT2iSimultaneous(),
                    role.modelWhitelist(), role.modelBlacklist())).toList());
        }
    }

    AccountsState state() {
        return state;
    }

    boolean hasUsers() {
        return !users.isEmpty();
    }

    Optional<UserAccount> user(String name) {
        return Optional.ofNullable(users.get(name));
    }

    Optional<Role> role(String name) {
        return Optional.ofNullable(roles.get(name));
    }

    Optional<ApiKey> keyByHash(String hash) {
        return Optional.ofNullable(keysByHash.get(hash));
    }

    /** @return the user's permission ids (the union of their roles'); empty for an unknown user */
    List<String> permissionsOf(String user) {
        return permissions.getOrDefault(user, List.of());
    }

    /** @return the user's roles, in the user's order, skipping none (the file guarantees they exist) */
    List<Role> rolesOf(String user) {
        List<Role> found = new ArrayList<>();
        user(user).ifPresent(account -> account.roles().forEach(name -> role(name).ifPresent(found::add)));
        return found;
    }

    /** @return the limits of each of the user's roles; none for an unknown user (who may then run nothing) */
    List<RoleLimits> limitsOf(String user) {
        return limits.getOrDefault(user, List.of());
    }

    /** @return how many users hold everything ({@code *}) */
    long owners() {
        return permissions.values().stream().filter(granted -> granted.contains(Permission.ALL)).count();
    }

    private Set<String> grantedBy(List<String> roleNames) {
        Set<String> granted = new TreeSet<>();
        for (String name : roleNames) {
            Role role = roles.get(name);
            if (role != null) {
                granted.addAll(role.permissions());
            }
        }
        return granted;
    }
}
