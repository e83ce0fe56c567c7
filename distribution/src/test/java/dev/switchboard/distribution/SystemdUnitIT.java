package dev.switchboard.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.testkit.server.SwitchboardProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped systemd unit ({@code systemd/switchboard.service} in the distribution): what its options must be for
 * the server and the ComfyUI processes it launches, and systemd's own check of it ({@code systemd-analyze verify},
 * from Debian's {@code systemd} package, which {@code .ci/run} installs).
 */
final class SystemdUnitIT {
    private static final String INSTALLED_HOME = "/opt/switchboard";

    @TempDir
    Path folder;

    private Path unit;
    private Map<String, List<String>> service;

    @BeforeEach
    void readUnit() throws IOException {
        unit = ShippedDistribution.home().resolve("systemd/switchboard.service");
        service = section(Files.readAllLines(unit), "Service");
    }

    /** The values of each key of one section, in order (a key may repeat); comments and blank lines left out. */
    private static Map<String, List<String>> section(List<String> lines, String name) {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        String current = null;
        for (String line : lines) {
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#") || text.startsWith(";")) {
                continue;
            }
            if (text.startsWith("[")) {
                current = text;
                continue;
            }
            if (("[" + name + "]").equals(current)) {
                int equals = text.indexOf('=');
                keys.computeIfAbsent(text.substring(0, equals), key -> new ArrayList<>())
                        .add(text.substring(equals + 1));
            }
        }
        return keys;
    }

    private String value(String key) {
        assertThat(service).as("[Service] " + key).containsKey(key);
        List<String> values = service.get(key);
        return values.get(values.size() - 1);
    }

    @Test
    void itRunsTheInstalledLauncherAsItsOwnUserOnItsStateDirectory() {
        assertThat(value("ExecStart")).startsWith(INSTALLED_HOME + "/bin/switchboard ")
                .contains("--data-dir %S/switchboard");
        assertThat(value("User")).isEqualTo("switchboard");
        assertThat(value("StateDirectory")).isEqualTo("switchboard");
        assertThat(value("EnvironmentFile")).isEqualTo("-/etc/switchboard/switchboard.env");
        assertThat(value("Restart")).isEqualTo("on-failure");
        assertThat(value("RestartPreventExitStatus")).isEqualTo("2");
    }

    @Test
    void stoppingLetsTheServerStopItsChildrenFirst() {
        assertThat(value("KillMode")).isEqualTo("mixed");
        assertThat(value("KillSignal")).isEqualTo("SIGTERM");
        // The server's own shutdown: 5 s of API requests, 5 s for loading backends, 5 s of jobs and 30 s of
        // shutdown per backend (all at once), 5 s per plugin; about a minute at most.
        assertThat(Integer.parseInt(value("TimeoutStopSec"))).isGreaterThanOrEqualTo(90);
    }

    @Test
    void itIsHardenedWithoutBlockingWhatComfyUiNeeds() {
        assertThat(value("NoNewPrivileges")).isEqualTo("yes");
        assertThat(value("PrivateTmp")).isEqualTo("yes");
        assertThat(value("ProtectSystem")).isIn("full", "strict");
        assertThat(service).as("options that break the JVM's JIT, the GPUs or fork/exec of ComfyUI")
                .doesNotContainKeys("MemoryDenyWriteExecute", "PrivateDevices", "SystemCallFilter", "PrivateUsers",
                        "RestrictFileSystems");
    }

    @Test
    void systemdAnalyzeVerifiesIt() throws IOException {
        assumeTrue(onPath("systemd-analyze"), "systemd-analyze is not installed (Debian package systemd; .ci/run"
                + " installs it): systemd's own check of the unit is skipped");
        // systemd-analyze checks that ExecStart's program exists: it is the shipped launcher, here.
        Path copy = folder.resolve("switchboard.service");
        Files.writeString(copy, Files.readString(unit).replace(INSTALLED_HOME + "/", ShippedDistribution.home() + "/"));

        SwitchboardProcess.Result result = SwitchboardProcess.run(folder, List.of("systemd-analyze", "verify",
                copy.toString()), Duration.ofSeconds(60));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).as("no warning either").isBlank();
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        return Stream.of(path.split(":")).map(folder -> Path.of(folder, program)).anyMatch(Files::isExecutable);
    }
}
