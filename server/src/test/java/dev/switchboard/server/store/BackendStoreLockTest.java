package dev.switchboard.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class BackendStoreLockTest {
    private static final long CHILD_TIMEOUT_SECONDS = 120;

    @TempDir
    Path temp;

    @Test
    void aSecondStoreInTheSameJvmIsRefusedWithTheDirectoryAndPid() throws Exception {
        try (BackendStore first = BackendStore.open(temp)) {
            assertThatThrownBy(() -> BackendStore.open(temp))
                    .isInstanceOf(DataDirectoryLockedException.class)
                    .hasMessage("Data directory " + temp.toAbsolutePath() + " is already in use by another "
                            + "Switchboard server (pid " + ProcessHandle.current().pid() + "). Stop it, or start "
                            + "this one with a different --data-dir.");
            first.save(SampleStates.version(1));
        }
    }

    @Test
    void aSecondStoreThroughAnotherPathToTheSameDirectoryIsRefused() throws Exception {
        Path link = Files.createSymbolicLink(temp.resolve("link"), Files.createDirectories(temp.resolve("real")));

        try (BackendStore first = BackendStore.open(temp.resolve("real"))) {
            assertThat(first.problem()).isEmpty();
            assertThatThrownBy(() -> BackendStore.open(link)).isInstanceOf(DataDirectoryLockedException.class)
                    .hasMessageContaining(link.toAbsolutePath().toString());
        }
    }

    @Test
    void theLockIsReleasedOnCloseSoTheDirectoryCanBeOpenedAgain() throws Exception {
        BackendStore first = BackendStore.open(temp);
        first.save(SampleStates.version(1));
        first.close();
        first.close();

        try (BackendStore second = BackendStore.open(temp)) {
            assertThat(second.state()).isEqualTo(SampleStates.version(1));
        }
    }

    @Test
    void anotherProcessHoldingTheLockIsNamedByPid() throws Exception {
        Process holder = startProbe("hold", temp);
        try {
            assertThat(readProbeLine(holder)).isEqualTo("locked");
            // Read from this process only while another one holds the lock: closing any descriptor of the
            // lock file drops the locks this process holds on it.
            assertThat(Files.readString(temp.resolve("switchboard.lock"))).isEqualTo(holder.pid() + "\n");

            assertThatThrownBy(() -> BackendStore.open(temp))
                    .isInstanceOf(DataDirectoryLockedException.class)
                    .hasMessage("Data directory " + temp.toAbsolutePath() + " is already in use by another "
                            + "Switchboard server (pid " + holder.pid() + "). Stop it, or start this one with a "
                            + "different --data-dir.");

            holder.getOutputStream().close();
            assertThat(holder.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
        } finally {
            holder.destroyForcibly();
        }
        try (BackendStore store = BackendStore.open(temp)) {
            assertThat(store.problem()).isEmpty();
        }
    }

    @Test
    void aRefusedSecondStoreDoesNotLoosenTheFirstStoresLockForOtherProcesses() throws Exception {
        try (BackendStore first = BackendStore.open(temp)) {
            assertThat(first.problem()).isEmpty();
            assertThatThrownBy(() -> BackendStore.open(temp)).isInstanceOf(DataDirectoryLockedException.class);

            Process other = startProbe("try", temp);
            try {
                assertThat(readProbeLine(other)).startsWith("refused Data directory " + temp.toAbsolutePath())
                        .contains("(pid " + ProcessHandle.current().pid() + ")");
                assertThat(other.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
            } finally {
                other.destroyForcibly();
            }
        }
    }

    private static Process startProbe(String mode, Path directory) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                LockProbeProcess.class.getName(), mode, directory.toString()))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    /** Returns the child's first protocol line; it may print log lines before it. */
    private static String readProbeLine(Process process) throws Exception {
        BufferedReader output = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        return CompletableFuture.supplyAsync(() -> {
            try {
                for (String line = output.readLine(); line != null; line = output.readLine()) {
                    if (line.startsWith(LockProbeProcess.MARKER)) {
                        return line.substring(LockProbeProcess.MARKER.length());
                    }
                }
                return "exited without a probe line";
            } catch (Exception e) {
                return "unreadable output: " + e;
            }
        }).get(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
}
