package dev.switchboard.server.bootstrap;

import dev.switchboard.server.accounts.AccountsState;
import dev.switchboard.server.accounts.PasswordHasher;
import dev.switchboard.server.accounts.Role;
import dev.switchboard.server.accounts.UserAccount;
import dev.switchboard.server.accounts.UserNames;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * {@code switchboard user add|list|set-password}: the operator's way to make the first (owner) account and back in
 * when a password is lost, on a data directory no server is using. Refusals print one line and exit 1.
 */
@Command(name = "user", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Manages the accounts in the data directory's users.json while no server uses it. With at"
                + " least one user the server requires logins; add the first with: user add NAME --role owner"})
final class UserCommand implements Callable<Integer> {
    private final PrintStream err;

    private UserCommand(PrintStream err) {
        this.err = err;
    }

    /**
     * The {@code user} command and its subcommands.
     *
     * @param passwords where new passwords come from
     * @param hasher hashes them
     * @param beforeRun run first by each subcommand (main lowers the log to warnings)
     */
    static CommandLine commandLine(PrintStream out, PrintStream err, PasswordInput passwords, PasswordHasher hasher,
                                   Clock clock, Runnable beforeRun) {
        CommandLine user = new CommandLine(new UserCommand(err));
        user.addSubcommand("add", new Add(out, passwords, hasher, clock, beforeRun));
        user.addSubcommand("list", new ListUsers(out, beforeRun));
        user.addSubcommand("set-password", new SetPassword(out, passwords, hasher, beforeRun));
        return user;
    }

    @Override
    public Integer call() {
        err.println("switchboard user: name a subcommand: add, list or set-password (see switchboard user --help)");
        return 2;
    }

    /** What the subcommands share: the data directory, the refusal's one line and exit 1. */
    abstract static class UsersSubcommand implements Callable<Integer> {
        @Option(names = "--data-dir", defaultValue = "data", paramLabel = "DIR",
                description = "The server's data directory (default: data/ under the current directory).")
        Path dataDirectory;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        private final Runnable beforeRun;

        UsersSubcommand(Runnable beforeRun) {
            this.beforeRun = beforeRun;
        }

        @Override
        public final Integer call() {
            beforeRun.run();
            try {
                run();
                return 0;
            } catch (CommandRefusedException e) {
                spec.commandLine().getErr().println("switchboard user " + spec.name() + ": " + e.getMessage());
                spec.commandLine().getErr().flush();
                return 1;
            }
        }

        abstract void run() throws CommandRefusedException;

        static String normalizedName(String typed) throws CommandRefusedException {
            return UserNames.normalize(typed).orElseThrow(() -> new CommandRefusedException("\"" + typed
                    + "\" is not a valid user name: use " + UserNames.rule()));
        }

        static Optional<UserAccount> find(AccountsState state, String name) {
            return state.users().stream().filter(user -> user.name().equals(name)).findFirst();
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, sortOptions = false,
            description = "Adds a user with one role; the password is typed twice on the console, or read from"
                    + " standard input with --password-stdin (never from the command line).")
    static final class Add extends UsersSubcommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "The user's name: " + "1 to 64 characters of"
                + " a-z, 0-9, '.', '_' and '-', starting with a letter or digit (upper case is lowered).")
        String name;

        @Option(names = "--role", required = true, paramLabel = "ROLE",
                description = "The user's role, e.g. owner, admin, poweruser, user, guest.")
        String role;

        @Option(names = "--password-stdin", description = "Read the password from standard input (one line).")
        boolean passwordStdin;

        private final PrintStream out;
        private final PasswordInput passwords;
        private final PasswordHasher hasher;
        private final Clock clock;

        Add(PrintStream out, PasswordInput passwords, PasswordHasher hasher, Clock clock, Runnable beforeRun) {
            super(beforeRun);
            this.out = out;
            this.passwords = passwords;
            this.hasher = hasher;
            this.clock = clock;
        }

        @Override
        void run() throws CommandRefusedException {
            String user = normalizedName(name);
            try (UsersFileSession session = UsersFileSession.open(dataDirectory,
                    "use AdminAddUser from an owner's session")) {
                AccountsState state = session.state();
                List<String> roles = state.roles().stream().map(Role::name).toList();
                if (!roles.contains(role)) {
                    throw new CommandRefusedException("there is no role \"" + role + "\" (roles: "
                            + String.join(", ", roles) + ")");
                }
                if (find(state, user).isPresent()) {
                    throw new CommandRefusedException("a user named " + user + " already exists (to change its"
                            + " password: switchboard user set-password " + user + ")");
                }
                String hash = hasher.hash(passwords.read(passwordStdin, user));
                List<UserAccount> users = new ArrayList<>(state.users());
                users.add(new UserAccount(user, hash, List.of(role), clock.instant()));
                session.save(new AccountsState(users, state.roles(), state.apiKeys()));
            }
            out.println("Added user " + user + " with role " + role + ".");
            out.flush();
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Lists the users and their roles.")
    static final class ListUsers extends UsersSubcommand {
        private final PrintStream out;

        ListUsers(PrintStream out, Runnable beforeRun) {
            super(beforeRun);
            this.out = out;
        }

        @Override
        void run() throws CommandRefusedException {
            try (UsersFileSession session = UsersFileSession.open(dataDirectory, "use ListUsers from an owner's"
                    + " session")) {
                List<UserAccount> users = session.state().users();
                if (users.isEmpty()) {
                    out.println("No users: accounts are off. Add the first with: switchboard user add NAME --role"
                            + " owner");
                }
                for (UserAccount user : users) {
                    out.println(user.name() + "\t" + user.roles().stream().collect(Collectors.joining(",")));
                }
                out.flush();
            }
        }
    }

    @Command(name = "set-password", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            sortOptions = false, description = "Sets a user's password (the way back in when the owner's is lost);"
                    + " typed twice on the console, or read from standard input with --password-stdin.")
    static final class SetPassword extends UsersSubcommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "The user's name.")
        String name;

        @Option(names = "--password-stdin", description = "Read the password from standard input (one line).")
        boolean passwordStdin;

        private final PrintStream out;
        private final PasswordInput passwords;
        private final PasswordHasher hasher;

        SetPassword(PrintStream out, PasswordInput passwords, PasswordHasher hasher, Runnable beforeRun) {
            super(beforeRun);
            this.out = out;
            this.passwords = passwords;
            this.hasher = hasher;
        }

        @Override
        void run() throws CommandRefusedException {
            String user = normalizedName(name);
            try (UsersFileSession session = UsersFileSession.open(dataDirectory, "change it from that user's or"
                    + " an owner's session")) {
                AccountsState state = session.state();
                if (find(state, user).isEmpty()) {
                    throw new CommandRefusedException("there is no user named " + user);
                }
                String hash = hasher.hash(passwords.read(passwordStdin, user));
                List<UserAccount> users = state.users().stream()
                        .map(each -> each.name().equals(user) ? each.withPasswordHash(hash) : each).toList();
                session.save(new AccountsState(users, state.roles(), state.apiKeys()));
            }
            out.println("Set the password of user " + user + ".");
            out.flush();
        }
    }
}
