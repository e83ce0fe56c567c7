package dev.switchboard.distribution.durability;

import dev.switchboard.server.accounts.AccountsFile;
import dev.switchboard.server.accounts.AccountsPersistence;
import dev.switchboard.server.accounts.AccountsState;
import dev.switchboard.server.accounts.BuiltInRoles;
import dev.switchboard.server.accounts.PasswordHasher;
import dev.switchboard.server.accounts.Role;
import dev.switchboard.server.accounts.UserAccount;
import dev.switchboard.server.store.DataDirectoryLock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A process that saves the users file of a data directory as fast as it can, for {@link UsersFileCrashIT} to
 * SIGKILL at random points of a save: it takes the directory's lock, loads the file, then saves version after
 * version, printing {@code saved N} once save N has returned (so it is acknowledged). Run on the distribution's
 * {@code lib/}, the writer that ships.
 */
public final class UsersFileSaver {
    /** The role whose description names a state's version. */
    static final String COUNTER_ROLE = "crash-counter";

    private UsersFileSaver() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        String hash = new PasswordHasher(new PasswordHasher.Cost(8, 1, 1)).hash("crash-test-password");
        try (DataDirectoryLock lock = DataDirectoryLock.acquire(data)) {
            AccountsFile file = new AccountsFile(data);
            AccountsPersistence.Loaded loaded = file.load();
            if (loaded.problem().isPresent()) {
                System.out.println("problem " + loaded.problem().get());
                System.exit(3);
            }
            long version = version(loaded.state());
            System.out.println("loaded " + version);
            System.out.flush();
            while (true) {
                version++;
                file.save(state(version, hash));
                System.out.println("saved " + version);
                System.out.flush();
            }
        }
    }

    /** @return version {@code n}: its number in the counter role, and between 1 and 9 users so the size varies */
    static AccountsState state(long n, String hash) {
        List<Role> roles = new ArrayList<>(BuiltInRoles.all());
        roles.add(new Role(COUNTER_ROLE, "version " + n, Set.of("fundamental"), 1, 1, false, List.of(), List.of()));
        List<UserAccount> users = new ArrayList<>();
        for (int index = 0; index <= n % 9; index++) {
            users.add(new UserAccount("user" + index, hash, List.of(index == 0 ? "owner" : COUNTER_ROLE),
                    Instant.ofEpochSecond(1_700_000_000L + n)));
        }
        return new AccountsState(users, roles, List.of());
    }

    /** @return the version a state holds; 0 for the initial state */
    static long version(AccountsState state) {
        return state.roles().stream().filter(role -> role.name().equals(COUNTER_ROLE))
                .mapToLong(role -> Long.parseLong(role.description().substring("version ".length())))
                .findFirst().orElse(0);
    }
}
