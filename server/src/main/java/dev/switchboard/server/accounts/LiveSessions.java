package dev.switchboard.server.accounts;

import dev.switchboard.server.sessions.SessionService;
import java.util.HashSet;
import java.util.Set;

/** Carries a saved account change to the live sessions. */
final class LiveSessions {

    private LiveSessions() {
    }

    /**
     * Gives live sessions their user's new permissions and ends those of deleted users. When accounts turn on,
     * ends every session: each was made for the implicit single user (whatever name X-SWARM-USER_ID gave it)
     * and holds everything.
     */
    static void update(SessionService sessions, AccountsSnapshot before, AccountsSnapshot after) {
        if (!before.hasUsers() && after.hasUsers()) {
            sessions.endAll();
            return;
        }
        Set<String> names = new HashSet<>();
        before.state().users().forEach(user -> names.add(user.name()));
        after.state().users().forEach(user -> names.add(user.name()));
        for (String name : names) {
            if (after.user(name).isEmpty()) {
                sessions.updateUser(name, null);
            } else if (!before.permissionsOf(name).equals(after.permissionsOf(name))) {
                sessions.updateUser(name, after.permissionsOf(name));
            }
        }
    }
}
