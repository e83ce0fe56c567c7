package dev.switchboard.server.store;

import static dev.switchboard.server.store.SampleStates.version;
import static org.assertj.core.api.Assertions.assertThat;

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
 * Makes every file-system step of a save fail in turn (plainly, or as if the process died there) and checks
 * that the file then still holds the complete old state or the complete new one, never anything else.
 */
final class BackendStoreFaultInjectionTest {
    private static final int EARLIER_SAVES = 6;

    @TempDir
    Path temp;

    @ParameterizedTest
    @EnumSource(Fault.class)
    void aFailureAtAnyStepLeavesTheOldOrTheNewStateReadable(Fault fault) throws Exception {
        StoredState old = version(EARLIER_SAVES);
        StoredState next = version(100);
        int stepsCovered = 0;

        for (int step = 0; ; step++) {
            Path directory = temp.resolve(fault + "-" + step);
            FaultInjectingFileSystem fileSystem = new FaultInjectingFileSystem();
            boolean saved;
            List<Call> completed;
            try (BackendStore store = BackendStore.open(directory, fileSystem, Clock.systemUTC())) {
                for (int version = 1; version <= EARLIER_SAVES; version++) {
                    store.save(version(version));
                }
                fileSystem.arm(step, fault);
                try {
                    store.save(next);
                    saved = true;
                } catch (StoreException e) {
                    saved = false;
                }
                completed = fileSystem.completedCalls();
                assertThat(store.state()).as("in-memory state after step %d", step).isEqualTo(saved ? next : old);
            }
            if (!fileSystem.triggered()) {
                assertThat(saved).isTrue();
                break;
            }
            stepsCovered++;
            boolean replaced = completed.stream().anyMatch(call -> call.action().equals("replaceAtomically")
                    && call.target().getFileName().toString().equals("backends.json"));
            assertAcknowledgedExactlyWhenInPlace(fault, step, saved, replaced);

            try (BackendStore reopened = BackendStore.open(directory)) {
                assertThat(reopened.problem()).as("step %d", step).isEmpty();
                assertThat(reopened.state()).as("state after a failure at step %d", step)
                        .isEqualTo(replaced ? next : old);
            }
            assertThat(leftoverTempFiles(directory)).as("step %d", step).isEmpty();
            assertBackupsAreEarlierVersions(directory, step);
        }
        // write, force, read, 4 backup shifts, link, rename, directory sync at least.
        assertThat(stepsCovered).isGreaterThanOrEqualTo(10);
    }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void aFailureAtAnyStepOfTheVeryFirstSaveLeavesNoFileOrTheNewOne(Fault fault) throws Exception {
        StoredState next = version(1);
        int stepsCovered = 0;

        for (int step = 0; ; step++) {
            Path directory = temp.resolve("first-" + fault + "-" + step);
            FaultInjectingFileSystem fileSystem = new FaultInjectingFileSystem();
            boolean saved;
            List<Call> completed;
            try (BackendStore store = BackendStore.open(directory, fileSystem, Clock.systemUTC())) {
                fileSystem.arm(step, fault);
                try {
                    store.save(next);
                    saved = true;
                } catch (StoreException e) {
                    saved = false;
                }
                completed = fileSystem.completedCalls();
                assertThat(store.state()).as("in-memory state after step %d", step)
                        .isEqualTo(saved ? next : StoredState.empty());
            }
            if (!fileSystem.triggered()) {
                assertThat(saved).isTrue();
                break;
            }
            stepsCovered++;
            boolean replaced = completed.stream().anyMatch(call -> call.action().equals("replaceAtomically")
                    && call.target().getFileName().toString().equals("backends.json"));
            assertAcknowledgedExactlyWhenInPlace(fault, step, saved, replaced);

            try (BackendStore reopened = BackendStore.open(directory)) {
                assertThat(reopened.problem()).as("step %d", step).isEmpty();
                assertThat(reopened.state()).as("state after a failure at step %d", step)
                        .isEqualTo(replaced ? next : StoredState.empty());
            }
            assertThat(leftoverTempFiles(directory)).as("step %d", step).isEmpty();
        }
        // write, force, read back, rename, directory sync: no backup to rotate yet.
        assertThat(stepsCovered).isGreaterThanOrEqualTo(5);
    }

    /**
     * A save whose step failed before the new version was in place reports the failure; one whose new version
     * is in place (only the directory sync, or the rename's report, failed) is acknowledged, so the answer and
     * the in-memory state agree with the file. After a crash nobody hears the answer; only a save that never
     * replaced the file must not claim success.
     */
    private static void assertAcknowledgedExactlyWhenInPlace(Fault fault, int step, boolean saved,
                                                            boolean replaced) {
        if (!fault.crashes) {
            assertThat(saved).as("acknowledged exactly when the new version is in place (step %d)", step)
                    .isEqualTo(replaced);
        } else if (!replaced) {
            assertThat(saved).as("a save whose step %d failed before the rename reports it", step).isFalse();
        }
    }

    /** A failed rotation may leave a gap among the backups, but never a damaged or foreign one. */
    private static void assertBackupsAreEarlierVersions(Path directory, int step) throws Exception {
        List<StoredState> earlier = IntStream.rangeClosed(1, EARLIER_SAVES).mapToObj(SampleStates::version).toList();
        for (int number = 1; number <= BackupFiles.KEPT; number++) {
            Path backup = directory.resolve("backends.json." + number);
            if (Files.exists(backup)) {
                assertThat(SampleStates.decode(Files.readAllBytes(backup)))
                        .as("backup %d after a failure at step %d", number, step).isIn(earlier);
            }
        }
    }

    private static List<Path> leftoverTempFiles(Path directory) throws Exception {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.filter(path -> path.getFileName().toString().contains(".tmp-")).toList();
        }
    }
}
