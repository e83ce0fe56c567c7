package dev.switchboard.server.accounts;

import dev.switchboard.server.sessions.Identity;
import dev.switchboard.server.sessions.Permission;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The checks every account change passes, and small state edits. The rule against escalation: nobody gives,
 * or acts on someone holding, a permission they do not hold themselves; only a holder of everything ({@code *})
 * gives {@code *}.
 */
final class AccountRules {

    private AccountRules() {
    }

    static Role role(AccountsSnapshot current, String name) throws AccountException {
        String role = UserNames.key(name);
        return current.role(role).orElseThrow(() -> new AccountException("No role is named '" + role + "'."));
    }

    /** @throws AccountException unless the actor holds every one of {@code permissions} */
    static void checkMayGrant(Identity actor, Collection<String> permissions, String what) throws AccountException {
        if (actor.permissions().contains(Permission.ALL)) {
            return;
        }
        Set<String> missing = new TreeSet<>(permissions);
        missing.removeAll(actor.permissions());
        if (!missing.isEmpty()) {
            throw new AccountException("You may not " + what + ": it holds permissions you do not have ("
                    + String.join(", ", missing) + ").");
        }
    }

    /** @throws AccountException unless the user exists and the actor holds every permission the user holds */
    static void checkMayActOn(Identity actor, AccountsSnapshot current, String user) throws AccountException {
        if (current.user(user).isEmpty()) {
            throw new AccountException("No user is named '" + user + "'.");
        }
        if (!actor.user().equals(user)) {
            checkMayGrant(actor, current.permissionsOf(user), "act on the user '" + user + "'");
        }
    }

    /** @throws AccountException when a role would get an unknown permission id, or the owner's would change */
    static void checkRolePermissions(Role existing, Set<String> permissions) throws AccountException {
        if (existing.name().equals(BuiltInRoles.OWNER)) {
            if (!permissions.equals(Set.of(Permission.ALL))) {
                throw new AccountException("The owner role always holds every permission ('*').");
            }
            return;
        }
        for (String id : permissions) {
            if (Permission.byId(id).isEmpty()) {
                throw new AccountException("No permission has the id '" + id + "'; AdminListPermissions lists them.");
            }
        }
    }

    static AccountsState withUsers(AccountsState state, List<UserAccount> users) {
        return new AccountsState(users, state.roles(), state.apiKeys());
    }

    static AccountsState withPassword(AccountsState state, String user, String hash) {
        return withUsers(state, state.users().stream()
                .map(account -> account.name().equals(user) ? account.withPasswordHash(hash) : account).toList());
    }

    static <T> List<T> plus(List<T> list, T added) {
        List<T> longer = new ArrayList<>(list);
        longer.add(added);
        return longer;
    }
}
