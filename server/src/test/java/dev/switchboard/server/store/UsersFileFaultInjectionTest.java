package dev.switchboard.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.accounts.AccountsFileCodec;
import dev.switchboard.server.accounts.AccountsState;
import dev.switchboard.server.accounts.SampleAccounts;
import dev.switchboard.server.store.FaultInjectingFileSystem.Call;
import dev.switchboard.server.store.FaultInjectingFileSystem.Fault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The users file's {@link DurableDocument} with every file-system step of a save failing in turn (plainly, or as
 * if the process died there): the file then holds the complete old accounts or the complete new ones, a save is
 * acknowledged exactly when the new version is in place, no temporary file survives the next load, and the
 * backups are whole earlier versions. Lives here for the store's fault-injecting file system; the accounts' codec
 * is only data to it.
 */
final class UsersFileFaultInjectionTest {
    private static final int EARLIER_SAVES = 6;

    @TempDir
    Path temp;

    @ParameterizedTest
    @EnumSource(Fault.class)
    void aFailureAtAnyStepLeavesTheOldOrTheNewAccountsReadable(Fault fault) throws Exception {
        AccountsState old = SampleAccounts.version(EARLIER_SAVES);
        AccountsState next = SampleAccounts.version(20);
        int stepsCovered = 0;
        for (int step = 0; ; step++) {
            Path directory = Files.createDirectories(temp.resolve(fault + "-" + step));
            FaultInjectingFileSystem fileSystem = new FaultInjectingFileSystem();
            DurableDocument<AccountsState> document = document(directory, fileSystem);
            assertThat(document.load().problem()).isEmpty();
            for (int version = 1; version <= EARLIER_SAVES; version++) {
                document.replace(SampleAccounts.version(version));
            }
            fileSystem.arm(step, fault);
            boolean saved;
            try {
                document.replace(next);
                saved = true;
            } catch (StoreException e) {
                saved = false;
                assertThat(e).hasMessageStartingWith("Could not save the users to " + directory.resolve("users.json"))
                        .hasMessageEndingWith("The file still holds its previous version.");
            }
            List<Call> completed = fileSystem.completedCalls();
            if (!fileSystem.triggered()) {
                assertThat(saved).isTrue();
                break;
            }
            stepsCovered++;
            boolean replaced = completed.stream().anyMatch(call -> call.action().equals("replaceAtomically")
                    && call.target().getFileName().toString().equals("users.json"));
            if (!fault.crashes) {
                assertThat(saved).as("acknowledged exactly when in place (step %d)", step).isEqualTo(replaced);
            } else if (!replaced) {
                assertThat(saved).as("a failure before the rename is reported (step %d)", step).isFalse();
            }

            DurableDocument<AccountsState> reopened = document(directory, new NioStoreFileSystem());
            DurableDocument.Loaded<AccountsState> loaded = reopened.load();
            assertThat(loaded.problem()).as("step %d", step).isEmpty();
            assertThat(loaded.state()).as("accounts after a failure at step %d", step).isEqualTo(replaced ? next : old);
            assertThat(tempFiles(directory)).as("step %d", step).isEmpty();
            List<AccountsState> earlier = IntStream.rangeClosed(1, EARLIER_SAVES)
                    .mapToObj(SampleAccounts::version).toList();
            for (int number = 1; number <= BackupFiles.KEPT; number++) {
                Path backup = directory.resolve("users.json." + number);
                if (Files.exists(backup)) {
                    assertThat(new AccountsFileCodec().decode(Files.readAllBytes(backup)))
                            .as("backup %d after a failure at step %d", number, step).isIn(earlier);
                }
            }
        }
        // write, force, read back, 4 backup shifts, link, rename, directory sync at least.
        assertThat(stepsCovered).isGreaterThanOrEqualTo(10);
    }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void aFailureAtAnyStepOfTheFirstSaveLeavesTheInitialOrTheNewAccounts(Fault fault) throws Exception {
        AccountsState next = SampleAccounts.version(1);
        int stepsCovered = 0;
        for (int step = 0; ; step++) {
            Path directory = Files.createDirectories(temp.resolve("first-" + fault + "-" + step));
            FaultInjectingFileSystem fileSystem = new FaultInjectingFileSystem();
            DurableDocument<AccountsState> document = document(directory, fileSystem);
            document.load();
            fileSystem.arm(step, fault);
            boolean saved;
            try {
                document.replace(next);
                saved = true;
            } catch (StoreException e) {
                saved = false;
            }
            if (!fileSystem.triggered()) {
                break;
            }
            stepsCovered++;
            boolean replaced = fileSystem.completedCalls().stream().anyMatch(call -> call.action()
                    .equals("replaceAtomically") && call.target().getFileName().toString().equals("users.json"));
            assertThat(saved && !replaced).as("acknowledged but not in place (step %d)", step).isFalse();
            DurableDocument.Loaded<AccountsState> loaded = document(directory, new NioStoreFileSystem()).load();
            assertThat(loaded.problem()).isEmpty();
            assertThat(loaded.state()).as("step %d", step).isEqualTo(replaced ? next : AccountsState.initial());
            assertThat(tempFiles(directory)).isEmpty();
        }
        assertThat(stepsCovered).isGreaterThanOrEqualTo(5);
    }

    private static DurableDocument<AccountsState> document(Path directory, StoreFileSystem fileSystem) {
        return DurableDocument.of(directory.resolve("users.json"), new AccountsFileCodec(), AccountsState.initial(),
                fileSystem, Clock.systemUTC());
    }

    private static List<Path> tempFiles(Path directory) throws Exception {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.filter(path -> path.getFileName().toString().contains(".tmp-")).toList();
        }
    }
}
