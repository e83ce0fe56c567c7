package dev.switchboard.server.accounts;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.switchboard.server.store.StoreUnavailableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The users file on the real disk: what a save leaves, backups, modes, and files that cannot be read. */
final class AccountsFileTest {
    @TempDir
    Path data;

    private AccountsFile loaded() {
        AccountsFile file = new AccountsFile(data);
        assertThat(file.load().problem()).isEmpty();
        return file;
    }

    @Test
    void aMissingFileLoadsTheInitialStateAndASavedOneReadsBackEqual() throws Exception {
        AccountsFile file = new AccountsFile(data);
        AccountsPersistence.Loaded first = file.load();
        assertThat(first.state()).isEqualTo(AccountsState.initial());
        assertThat(first.problem()).isEmpty();
        assertThat(data.resolve("users.json")).doesNotExist();

        file.save(SampleAccounts.version(3));

        assertThat(file.file()).isEqualTo(data.resolve("users.json").toAbsolutePath());
        AccountsPersistence.Loaded again = new AccountsFile(data).load();
        assertThat(again.state()).isEqualTo(SampleAccounts.version(3));
        assertThat(again.problem()).isEmpty();
    }

    @Test
    void theFileAndItsBackupsAreReadableByTheOwnerOnly() throws Exception {
        assumeThat(data.getFileSystem().supportedFileAttributeViews()).contains("posix");
        AccountsFile file = loaded();
        file.save(SampleAccounts.version(1));
        file.save(SampleAccounts.version(2));
        for (String name : List.of("users.json", "users.json.1")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve(name))))
                    .as(name).isEqualTo("rw-------");
        }
    }

    @Test
    void fivePreviousVersionsAreKeptNewestFirst() throws Exception {
        AccountsFile file = loaded();
        for (int version = 1; version <= 8; version++) {
            file.save(SampleAccounts.version(version));
        }
        AccountsFileCodec codec = new AccountsFileCodec();
        assertThat(codec.decode(Files.readAllBytes(data.resolve("users.json")))).isEqualTo(SampleAccounts.version(8));
        for (int number = 1; number <= 5; number++) {
            assertThat(codec.decode(Files.readAllBytes(data.resolve("users.json." + number))))
                    .as("backup %d", number).isEqualTo(SampleAccounts.version(8 - number));
        }
        assertThat(data.resolve("users.json.6")).doesNotExist();
    }

    @Test
    void anUnreadableFileIsKeptAndCopiedTheNewestReadableBackupServedAndEveryChangeRefused() throws Exception {
        AccountsFile file = loaded();
        file.save(SampleAccounts.version(1));
        file.save(SampleAccounts.version(2));
        byte[] damaged = "{\"version\":1,\"users\":[".getBytes(UTF_8);
        Files.write(data.resolve("users.json"), damaged);

        AccountsFile reopened = new AccountsFile(data);
        AccountsPersistence.Loaded loaded = reopened.load();

        assertThat(loaded.state()).as("the backup users.json.1").isEqualTo(SampleAccounts.version(1));
        String problem = loaded.problem().orElseThrow();
        assertThat(problem).startsWith("The users file " + data.resolve("users.json") + " cannot be used: the file"
                + " is not valid JSON").contains("Meanwhile the users from the backup " + data.resolve("users.json.1"));
        List<Path> copies = unreadableCopies();
        assertThat(copies).hasSize(1);
        assertThat(problem).contains(copies.get(0).toString());
        assertThat(Files.readAllBytes(copies.get(0))).isEqualTo(damaged);

        assertThatThrownBy(() -> reopened.save(SampleAccounts.version(5)))
                .isInstanceOf(StoreUnavailableException.class).hasMessage(problem);
        assertThat(Files.readAllBytes(data.resolve("users.json"))).isEqualTo(damaged);

        // Another start finds the same bytes: no second copy.
        assertThat(new AccountsFile(data).load().problem()).isPresent();
        assertThat(unreadableCopies()).hasSize(1);
    }

    @Test
    void anUnreadableFileWithoutBackupServesTheInitialStateAndRefusesChanges() throws Exception {
        Files.writeString(data.resolve("users.json"), "{\"version\":7,\"users\":[],\"roles\":[],\"api_keys\":[]}");
        AccountsFile file = new AccountsFile(data);
        AccountsPersistence.Loaded loaded = file.load();
        assertThat(loaded.state()).isEqualTo(AccountsState.initial());
        assertThat(loaded.problem()).get().asString().contains("written by a newer Switchboard")
                .contains("No readable backup exists, so no users are loaded, and every change is refused.");
        assertThatThrownBy(() -> file.save(SampleAccounts.version(1))).isInstanceOf(StoreUnavailableException.class);
    }

    @Test
    void aMissingFileWithABackupLoadsTheBackup() throws Exception {
        AccountsFile file = loaded();
        file.save(SampleAccounts.version(1));
        file.save(SampleAccounts.version(2));
        Files.delete(data.resolve("users.json"));
        AccountsPersistence.Loaded loaded = new AccountsFile(data).load();
        assertThat(loaded.problem()).isEmpty();
        assertThat(loaded.state()).isEqualTo(SampleAccounts.version(1));
    }

    @Test
    void temporaryFilesOfACrashedSaveAreRemovedAtLoad() throws Exception {
        Files.writeString(data.resolve("users.json.tmp-1234abcd"), "{\"version\":1,\"us");
        Files.writeString(data.resolve("backends.json.tmp-99"), "not ours");
        AccountsFile file = loaded();
        assertThat(data.resolve("users.json.tmp-1234abcd")).doesNotExist();
        assertThat(data.resolve("backends.json.tmp-99")).as("another document's leftovers are its own").exists();
        file.save(SampleAccounts.version(1));
        try (Stream<Path> entries = Files.list(data)) {
            assertThat(entries.map(path -> path.getFileName().toString()))
                    .containsExactlyInAnyOrder("users.json", "backends.json.tmp-99");
        }
    }

    @Test
    void leftoversThatCannotBeRemovedRefuseEveryChange() throws Exception {
        // A non-empty directory by a temporary file's name cannot be deleted, even by root.
        Files.createDirectories(data.resolve("users.json.tmp-55/inside"));
        AccountsFile file = new AccountsFile(data);
        AccountsPersistence.Loaded loaded = file.load();
        assertThat(loaded.state()).isEqualTo(AccountsState.initial());
        assertThat(loaded.problem()).get().asString().startsWith("Could not open the users file")
                .contains("every change is refused");
        assertThatThrownBy(() -> file.save(SampleAccounts.version(1))).isInstanceOf(StoreUnavailableException.class);
        assertThat(data.resolve("users.json")).doesNotExist();
    }

    @Test
    void aSaveBeforeTheLoadIsAProgrammingError() {
        assertThatThrownBy(() -> new AccountsFile(data).save(SampleAccounts.version(1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("must be loaded");
    }

    private List<Path> unreadableCopies() throws Exception {
        try (Stream<Path> entries = Files.list(data)) {
            return entries.filter(path -> path.getFileName().toString().startsWith("users.json.unreadable-"))
                    .toList();
        }
    }
}
