package dev.switchboard.server.bootstrap;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.accounts.AccountsFile;
import dev.switchboard.server.accounts.AccountsPersistence;
import dev.switchboard.server.accounts.PasswordHasher;
import dev.switchboard.server.accounts.SampleAccounts;
import dev.switchboard.server.accounts.UserAccount;
import dev.switchboard.server.store.BackendStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code switchboard user ...} through the real command line, with the password on standard input. */
final class UserCommandTest {
    private static final String PASSWORD = "s3cret-Pa55word";
    private static final PasswordHasher HASHER = new PasswordHasher(SampleAccounts.TINY_COST);

    @TempDir
    Path folder;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int execute(String stdin, String... args) {
        PasswordInput passwords = new PasswordInput(new ByteArrayInputStream(stdin.getBytes(UTF_8)), Optional::empty);
        return Main.commandLine(new PrintStream(out, true, UTF_8), new PrintStream(err, true, UTF_8), passwords, HASHER,
                () -> { }).execute(args);
    }

    private Path data() {
        return folder.resolve("data");
    }

    private String output() {
        return out.toString(UTF_8) + err.toString(UTF_8);
    }

    private List<UserAccount> users() {
        AccountsPersistence.Loaded loaded = new AccountsFile(data()).load();
        assertThat(loaded.problem()).isEmpty();
        return loaded.state().users();
    }

    @AfterEach
    void thePasswordIsNeverPrinted() {
        assertThat(output()).doesNotContain(PASSWORD).doesNotContain("s3cret");
    }

    @Test
    void addMakesAnOwnerWhosePasswordIsOnlyStoredAsItsHash() throws Exception {
        int code = execute(PASSWORD + "\n", "user", "add", "Alice", "--role", "owner", "--password-stdin",
                "--data-dir", data().toString());

        assertThat(code).as(output()).isZero();
        assertThat(out.toString(UTF_8)).isEqualTo("Added user alice with role owner.\n");
        assertThat(err.toString(UTF_8)).isEmpty();
        UserAccount alice = users().get(0);
        assertThat(alice.name()).isEqualTo("alice");
        assertThat(alice.roles()).containsExactly("owner");
        assertThat(HASHER.matches(PASSWORD, alice.passwordHash())).isTrue();
        Path file = data().resolve("users.json");
        assertThat(Files.readString(file)).doesNotContain(PASSWORD).contains("$argon2id$");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void refusalsSayWhyExitOneAndWriteNothing() throws Exception {
        String[] add = {"user", "add", "bob", "--role", "user", "--password-stdin", "--data-dir", data().toString()};
        assertRefused(execute("short12\n", add), "the password must be at least 8 characters long");
        assertRefused(execute("", add), "no password on standard input");
        assertRefused(execute(PASSWORD + "\nsecond line\n", add), "must be a single line");
        assertRefused(execute(PASSWORD, "user", "add", "../bob", "--role", "user", "--password-stdin", "--data-dir",
                data().toString()), "\"../bob\" is not a valid user name");
        assertRefused(execute(PASSWORD, "user", "add", "bob", "--role", "wizard", "--password-stdin", "--data-dir",
                data().toString()), "there is no role \"wizard\" (roles: owner, admin, poweruser, user, guest)");
        assertRefused(execute("", "user", "add", "bob", "--role", "user", "--data-dir", data().toString()),
                "there is no console");
        assertThat(data().resolve("users.json")).doesNotExist();

        assertThat(execute(PASSWORD, add)).isZero();
        byte[] saved = Files.readAllBytes(data().resolve("users.json"));
        assertRefused(execute(PASSWORD, add), "a user named bob already exists");
        assertThat(Files.readAllBytes(data().resolve("users.json"))).isEqualTo(saved);
    }

    @Test
    void aRunningServersLockRefusesEveryUserCommand() throws Exception {
        try (BackendStore server = BackendStore.open(data())) {
            assertRefused(execute(PASSWORD, "user", "add", "alice", "--role", "owner", "--password-stdin",
                    "--data-dir", data().toString()), "switchboard user add: the data directory " + data()
                    + " is in use by a running Switchboard server: stop the server first, or use AdminAddUser from"
                    + " an owner's session");
            assertRefused(execute(PASSWORD, "user", "set-password", "alice", "--password-stdin", "--data-dir",
                    data().toString()), "stop the server first");
            assertRefused(execute("", "user", "list", "--data-dir", data().toString()), "stop the server first");
        }
        assertThat(data().resolve("users.json")).doesNotExist();
    }

    @Test
    void listShowsNamesAndRolesAndSetPasswordChangesOnlyTheHash() throws Exception {
        assertThat(execute("", "user", "list", "--data-dir", data().toString())).isZero();
        assertThat(out.toString(UTF_8)).startsWith("No users: accounts are off.");
        assertThat(execute(PASSWORD, "user", "add", "alice", "--role", "owner", "--password-stdin", "--data-dir",
                data().toString())).isZero();
        assertThat(execute(PASSWORD, "user", "add", "bob", "--role", "user", "--password-stdin", "--data-dir",
                data().toString())).isZero();
        out.reset();
        assertThat(execute("", "user", "list", "--data-dir", data().toString())).isZero();
        assertThat(out.toString(UTF_8)).isEqualTo("alice\towner\nbob\tuser\n");

        UserAccount before = users().get(1);
        assertThat(execute("an0ther-passw0rd\r\n", "user", "set-password", "BOB", "--password-stdin", "--data-dir",
                data().toString())).as(output()).isZero();
        assertThat(out.toString(UTF_8)).endsWith("Set the password of user bob.\n");
        UserAccount after = users().get(1);
        assertThat(HASHER.matches("an0ther-passw0rd", after.passwordHash())).isTrue();
        assertThat(after).isEqualTo(before.withPasswordHash(after.passwordHash()));
        assertThat(users().get(0).passwordHash()).isNotEqualTo(after.passwordHash());

        assertRefused(execute(PASSWORD, "user", "set-password", "carol", "--password-stdin", "--data-dir",
                data().toString()), "there is no user named carol");
    }

    @Test
    void anUnreadableUsersFileRefusesTheCommandAndStaysAsItIs() throws Exception {
        Files.createDirectories(data());
        Files.writeString(data().resolve("users.json"), "{\"version\":1,");
        assertRefused(execute(PASSWORD, "user", "add", "alice", "--role", "owner", "--password-stdin", "--data-dir",
                data().toString()), "The users file " + data().resolve("users.json") + " cannot be used");
        assertThat(Files.readString(data().resolve("users.json"))).isEqualTo("{\"version\":1,");
    }

    @Test
    void userWithoutSubcommandIsAUsageError() {
        assertThat(execute("", "user")).isEqualTo(2);
        assertThat(execute("", "user", "add", "alice", "--password-stdin")).as("--role is required").isEqualTo(2);
        assertThat(err.toString(UTF_8)).contains("--role");
    }

    private void assertRefused(int code, String message) {
        assertThat(code).as(output()).isEqualTo(1);
        assertThat(err.toString(UTF_8)).contains(message);
        assertThat(err.toString(UTF_8).lines().count()).as("one line: %s", err).isEqualTo(1);
        err.reset();
    }
}
