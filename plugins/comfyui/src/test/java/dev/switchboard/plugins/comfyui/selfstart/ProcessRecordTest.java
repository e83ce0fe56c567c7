package dev.switchboard.plugins.comfyui.selfstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * What makes a recorded process provably ours, on real processes: the record survives the process exec'ing from a
 * wrapper into the real program (a pyenv shim before Python), and never matches a process with another start
 * instant or other arguments.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
final class ProcessRecordTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final List<String> ARGUMENTS = List.of("120");

    @TempDir
    Path directory;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void tearDown() {
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    void aRecordMadeWhileAWrapperRunsRecognisesTheProgramItExecs() throws Exception {
        // Like a pyenv shim: a script that shows the arguments, then execs the real program with them. It waits
        // for a line on stdin first, so the record is surely made from the wrapper, not from the final program.
        Path wrapper = directory.resolve("wrapper.sh");
        Files.writeString(wrapper, "#!/bin/sh\nread go\nexec sleep \"$@\"\n");
        assertThat(wrapper.toFile().setExecutable(true)).isTrue();
        Process process = start(wrapper.toString(), "120");
        ProcessRecord record = awaitRecord(process);
        assertThat(process.info().command()).hasValueSatisfying(command -> assertThat(command).doesNotEndWith("sleep"));
        assertThat(process.info().commandLine()).hasValueSatisfying(line -> assertThat(line).contains("wrapper.sh"));

        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write("go\n".getBytes(StandardCharsets.UTF_8));
        }
        await().atMost(PATIENCE).until(() -> process.info().command().orElse("").endsWith("sleep"));

        assertThat(record.findLive()).map(ProcessHandle::pid).contains(process.pid());
    }

    @Test
    void aProcessThatStartedOneTickEarlierOrLaterIsNotOurs() throws Exception {
        Process process = start("sleep", "120");
        ProcessRecord record = awaitRecord(process);

        // USER_HZ is 100 on Linux: a start instant one tick (10 ms) off is another process that reused the pid.
        assertThat(new ProcessRecord(record.pid(), record.startMillis() - 10, ARGUMENTS).findLive()).isEmpty();
        assertThat(new ProcessRecord(record.pid(), record.startMillis() + 10, ARGUMENTS).findLive()).isEmpty();
        assertThat(record.findLive()).map(ProcessHandle::pid).contains(process.pid());
        assertThat(process.isAlive()).isTrue();
    }

    @Test
    void aProcessWhoseArgumentsDoNotEndWithTheRecordedOnesIsNotOurs() throws Exception {
        Process process = start("sleep", "120");
        ProcessRecord record = awaitRecord(process);

        assertThat(new ProcessRecord(record.pid(), record.startMillis(), List.of("121")).findLive()).isEmpty();
        // The recorded arguments must all be there: a shorter live list is not enough.
        assertThat(new ProcessRecord(record.pid(), record.startMillis(), List.of("-s", "120")).findLive()).isEmpty();
        // No arguments prove nothing, and a record of an older version (a command line, no arguments) has none.
        assertThat(new ProcessRecord(record.pid(), record.startMillis(), List.of()).findLive()).isEmpty();
        Files.writeString(directory.resolve(ProcessRecord.FILE_NAME), "{\"pid\":" + record.pid() + ",\"startMillis\":"
                + record.startMillis() + ",\"commandLine\":\"/usr/bin/sleep 120\"}");
        assertThat(ProcessRecord.read(directory)).hasValueSatisfying(old -> assertThat(old.findLive()).isEmpty());
        assertThat(process.isAlive()).isTrue();
    }

    @Test
    void aRecordIsWrittenAndReadBackWithItsArguments() throws Exception {
        ProcessRecord record = new ProcessRecord(4242, 1_700_000_000_123L, List.of("-s", "/opt/ComfyUI/main.py",
                "--port", "8188"));

        record.write(directory);

        assertThat(ProcessRecord.read(directory)).contains(record);
    }

    @Test
    void aProcessThatExitedIsNotFound() throws Exception {
        Process process = start("sleep", "120");
        ProcessRecord record = awaitRecord(process);
        process.destroyForcibly().waitFor();

        assertThat(record.findLive()).isEmpty();
    }

    private Process start(String... command) throws Exception {
        Process process = new ProcessBuilder(command).start();
        processes.add(process);
        return process;
    }

    /** Waits until the process shows the arguments (until then the OS shows the JDK's spawn helper). */
    private static ProcessRecord awaitRecord(Process process) {
        return await().atMost(PATIENCE).until(() -> ProcessRecord.of(process.toHandle(), ARGUMENTS),
                Optional::isPresent).orElseThrow();
    }
}
