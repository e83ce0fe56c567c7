package dev.switchboard.distribution.accounts;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.switchboard.distribution.ShippedDistribution;
import dev.switchboard.server.accounts.AccountsFile;
import dev.switchboard.server.it.accounts.TestAccounts;
import dev.switchboard.testkit.server.SwarmApiClient;
import dev.switchboard.testkit.server.SwitchboardProcess;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The users file at the start of {@code bin/switchboard}: a user in it counts as authentication for a
 * non-loopback {@code --host} (a file without users does not), and a users file that cannot be read is left
 * untouched, copied aside and reported in the log, while the server still starts without opening up and refuses
 * every account change.
 */
final class AccountsStartIT {
    private static final Duration START = Duration.ofSeconds(60);
    private static final String OWNER_KEY = "sb_start_owner_key_0123456789abcdefgh";
    private static final String LATER_KEY = "sb_start_later_key_0123456789abcdefgh";
    private static final byte[] CORRUPT = "{\"version\":1,\"users\":[{\"name\":\"own".getBytes(UTF_8);

    @TempDir
    Path folder;

    private Path data() {
        return folder.resolve("data");
    }

    private Path usersFile() {
        return data().resolve(AccountsFile.FILE_NAME);
    }

    private static TestAccounts owner() {
        return new TestAccounts().user("owner", "owner's password", "owner").key("owner", "owner-key", OWNER_KEY);
    }

    @Test
    void aUserInTheUsersFileLetsTheServerListenOnEveryAddress() {
        owner().writeTo(data());
        try (SwitchboardProcess server = start("--host", "0.0.0.0")) {
            String url = loopback(server.awaitReady(START));
            assertThat(server.output()).anyMatch(line -> line.contains("Accounts are on: 1 users"));
            JsonObject anonymous = new SwarmApiClient(url).postRaw("GetNewSession", "{}").json();
            assertThat(anonymous.get("user_id").getAsString()).isEmpty();
            assertThat(anonymous.getAsJsonArray("permissions")).isEmpty();
            SwarmApiClient owner = new SwarmApiClient(url, Map.of("Authorization", "Bearer " + OWNER_KEY));
            assertThat(owner.postRaw("GetNewSession", "{}").json().get("user_id").getAsString()).isEqualTo("owner");
            assertThat(owner.call("ListBackends").has("error")).isFalse();
        }
    }

    @Test
    void aUsersFileWithoutUsersIsNoAuthentication() {
        new TestAccounts().writeTo(data());
        try (SwitchboardProcess server = start("--host", "0.0.0.0")) {
            assertThat(server.awaitExit(START)).isEqualTo(2);
            assertThat(String.join("\n", server.output()))
                    .contains("refusing to listen on 0.0.0.0 without authentication")
                    .doesNotContain("Switchboard listening");
        }
    }

    /** The first start of all: no data directory yet, so no users file, so no authentication. */
    @Test
    void aFreshDataDirectoryIsNoAuthentication() {
        assertThat(data()).doesNotExist();
        try (SwitchboardProcess server = start("--host", "0.0.0.0")) {
            assertThat(server.awaitExit(START)).as("%s", server.output()).isEqualTo(2);
            assertThat(String.join("\n", server.output()))
                    .contains("refusing to listen on 0.0.0.0 without authentication")
                    .doesNotContain("Switchboard listening");
        }
    }

    /** Two saves leave the first version as users.json.1; the corrupted file is served from it. */
    @Test
    void aCorruptedUsersFileIsKeptAndTheBackupIsServed() throws IOException {
        owner().writeTo(data());
        owner().key("owner", "later-key", LATER_KEY).writeTo(data());
        Files.write(usersFile(), CORRUPT);
        try (SwitchboardProcess server = start()) {
            String url = loopback(server.awaitReady(START));
            assertThat(server.output()).anyMatch(line -> line.contains("ERROR") && line.contains("The users file "
                    + usersFile() + " cannot be used") && line.contains("has kept a copy of its bytes at")
                    && line.contains("Meanwhile the users from the backup " + usersFile() + ".1 are shown, and every"
                    + " change is refused."));
            // The backup's accounts are on: its key works, the later one (only in the lost file) does not.
            assertThat(new SwarmApiClient(url, Map.of("Authorization", "Bearer " + OWNER_KEY))
                    .postRaw("GetNewSession", "{}").json().get("user_id").getAsString()).isEqualTo("owner");
            assertThat(new SwarmApiClient(url, Map.of("Authorization", "Bearer " + LATER_KEY))
                    .postRaw("GetNewSession", "{}").json().has("error")).isTrue();
            assertThat(new SwarmApiClient(url).postRaw("GetNewSession", "{}").json().getAsJsonArray("permissions"))
                    .isEmpty();
            // Every account change is refused while the file cannot be used.
            SwarmApiClient owner = new SwarmApiClient(url, Map.of("Authorization", "Bearer " + OWNER_KEY));
            JsonObject refused = owner.call("AdminAddUser", "{\"name\":\"newcomer\",\"password\":\"a long"
                    + " password\",\"role\":\"user\"}");
            assertThat(refused.get("error").getAsString()).as("%s", refused).contains("The users file " + usersFile()
                    + " cannot be used");
            assertThat(owner.call("AdminListUsers").getAsJsonArray("users").toString()).isEqualTo("[\"owner\"]");
            assertThat(owner.call("CreateAPIKey", "{\"label\":\"x\"}").has("error")).isTrue();
            server.terminate();
            assertThat(server.awaitExit(START)).isZero();
        }
        assertThat(Files.readAllBytes(usersFile())).isEqualTo(CORRUPT);
        assertThat(unreadableCopies()).singleElement().satisfies(copy ->
                assertThat(Files.readAllBytes(copy)).isEqualTo(CORRUPT));
    }

    /**
     * With no backup to fall back on the server still starts, but a server whose accounts cannot be read must
     * not serve every caller as the single user holding every permission (the "defaults that fail
     * closed").
     */
    @Test
    void aCorruptedUsersFileWithoutABackupDoesNotOpenTheServer() throws IOException {
        owner().writeTo(data());
        Files.write(usersFile(), CORRUPT);
        try (SwitchboardProcess server = start()) {
            String url = loopback(server.awaitReady(START));
            assertThat(server.output()).anyMatch(line -> line.contains("The users file " + usersFile()
                    + " cannot be used") && line.contains("No readable backup exists"));
            JsonObject anonymous = new SwarmApiClient(url).postRaw("GetNewSession", "{}").json();
            assertThat(anonymous.getAsJsonArray("permissions")).as("the permissions of a caller without"
                    + " credentials: %s", anonymous).isEmpty();
            server.terminate();
            assertThat(server.awaitExit(START)).isZero();
        }
        assertThat(Files.readAllBytes(usersFile())).isEqualTo(CORRUPT);
        assertThat(unreadableCopies()).singleElement().satisfies(copy ->
                assertThat(Files.readAllBytes(copy)).isEqualTo(CORRUPT));
    }

    private List<Path> unreadableCopies() throws IOException {
        try (Stream<Path> files = Files.list(data())) {
            return files.filter(file -> file.getFileName().toString().startsWith(AccountsFile.FILE_NAME
                    + ".unreadable-")).toList();
        }
    }

    private SwitchboardProcess start(String... extraArguments) {
        List<String> arguments = new ArrayList<>(List.of("--port", "0", "--data-dir", data().toString()));
        arguments.addAll(List.of(extraArguments));
        return ShippedDistribution.start(folder, arguments);
    }

    /** The printed address on loopback (a server on 0.0.0.0 prints that address). */
    private static String loopback(String printed) {
        return "http://127.0.0.1:" + URI.create(printed).getPort();
    }
}
