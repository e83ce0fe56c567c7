package dev.switchboard.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.accounts.AccountsFile;
import dev.switchboard.server.accounts.AccountsPersistence;
import dev.switchboard.server.accounts.PasswordHasher;
import dev.switchboard.server.accounts.UserAccount;
import dev.switchboard.testkit.server.SwitchboardProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/switchboard user add} from the assembled distribution, as an operator makes the first owner: the
 * password on standard input, stored only as its Argon2id hash in a {@code users.json} readable by its owner
 * only, never printed; and its refusals (short password, taken name, unknown role, a server running on the data
 * directory), each one line, exit 1, nothing written.
 */
final class UserCommandIT {
    private static final Duration RUN = Duration.ofSeconds(60);
    private static final String PASSWORD = "Corr3ct-horse-battery";

    @TempDir
    Path folder;

    /** Runs {@code bin/switchboard user ...} with {@code stdin} as its standard input. */
    static SwitchboardProcess.Result user(Path folder, String stdin, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(ShippedDistribution.launcher().toString(), "user"));
        command.addAll(List.of(arguments));
        try (SwitchboardProcess process = SwitchboardProcess.start(folder, command)) {
            try (OutputStream in = process.process().getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            int exitCode = process.awaitExit(RUN);
            return new SwitchboardProcess.Result(exitCode, String.join("\n", process.output()));
        }
    }

    @Test
    void addMakesTheFirstOwnerWithOnlyTheHashOnDisk() throws Exception {
        Path data = folder.resolve("data");
        SwitchboardProcess.Result added = user(folder, PASSWORD + "\n", "add", "alice", "--role", "owner",
                "--password-stdin", "--data-dir", data.toString());

        assertThat(added.exitCode()).as(added.output()).isZero();
        assertThat(added.output()).isEqualTo("Added user alice with role owner.");
        Path file = data.resolve("users.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        String text = Files.readString(file);
        assertThat(text).doesNotContain(PASSWORD).contains("\"password_hash\": \"$argon2id$v=19$m=19456,t=2,p=1$");
        AccountsPersistence.Loaded loaded = new AccountsFile(data).load();
        assertThat(loaded.problem()).isEmpty();
        UserAccount alice = loaded.state().users().get(0);
        assertThat(alice.name()).isEqualTo("alice");
        assertThat(alice.roles()).containsExactly("owner");
        assertThat(new PasswordHasher().matches(PASSWORD, alice.passwordHash())).isTrue();

        SwitchboardProcess.Result listed = user(folder, "", "list", "--data-dir", data.toString());
        assertThat(listed.exitCode()).as(listed.output()).isZero();
        assertThat(listed.output()).isEqualTo("alice\towner");
    }

    @Test
    void refusalsWriteNothingAndNeverShowThePassword() throws Exception {
        Path data = folder.resolve("data");
        String[] addBob = {"add", "bob", "--role", "user", "--password-stdin", "--data-dir", data.toString()};
        assertRefused(user(folder, "seven77\n", addBob), "switchboard user add: the password must be at least 8"
                + " characters long");
        assertRefused(user(folder, PASSWORD, "add", "bob", "--role", "wizard", "--password-stdin", "--data-dir",
                data.toString()), "switchboard user add: there is no role \"wizard\"");
        assertThat(data.resolve("users.json")).doesNotExist();

        assertThat(user(folder, PASSWORD, addBob).exitCode()).isZero();
        byte[] saved = Files.readAllBytes(data.resolve("users.json"));
        assertRefused(user(folder, PASSWORD + "-2", addBob), "switchboard user add: a user named bob already exists");

        try (SwitchboardProcess server = ShippedDistribution.start(folder, List.of("--port", "0", "--data-dir",
                data.toString()))) {
            server.awaitReady(RUN);
            assertRefused(user(folder, PASSWORD, "add", "carol", "--role", "owner", "--password-stdin", "--data-dir",
                    data.toString()), "switchboard user add: the data directory " + data + " is in use by a running"
                    + " Switchboard server: stop the server first, or use AdminAddUser from an owner's session");
            server.terminate();
            assertThat(server.awaitExit(RUN)).isZero();
        }
        assertThat(Files.readAllBytes(data.resolve("users.json"))).isEqualTo(saved);
    }

    private static void assertRefused(SwitchboardProcess.Result result, String message) {
        assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
        assertThat(result.output()).startsWith(message).doesNotContain(PASSWORD).doesNotContain("seven77");
        assertThat(result.output().lines().count()).as(result.output()).isEqualTo(1);
    }
}
