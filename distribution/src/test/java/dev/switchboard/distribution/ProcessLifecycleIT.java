package dev.switchboard.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.switchboard.testkit.server.SwarmApiClient;
import dev.switchboard.testkit.server.SwitchboardProcess;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real entry point, {@code bin/switchboard} of the assembled distribution with its own plugins: SIGKILL right
 * after an acknowledged change, SIGTERM, a taken port, bad flags.
 */
final class ProcessLifecycleIT {
    private static final Duration START = Duration.ofSeconds(60);

    @TempDir
    Path data;

    private SwitchboardProcess start(String... extraArguments) {
        return startOnPort(0, extraArguments);
    }

    private SwitchboardProcess startOnPort(int port, String... extraArguments) {
        List<String> arguments = new ArrayList<>(List.of("--port", Integer.toString(port), "--data-dir", data.toString()));
        arguments.addAll(List.of(extraArguments));
        return ShippedDistribution.start(data.getParent(), arguments);
    }

    @Test
    void aChangeAcknowledgedJustBeforeKillMinus9SurvivesIt() {
        try (SwitchboardProcess server = start()) {
            SwarmApiClient api = new SwarmApiClient(server.awaitReady(START));
            api.call("AddNewBackend", "{\"type_id\":\"comfyui_api\"}");
            JsonObject edited = api.call("EditBackend",
                    "{\"backend_id\":0,\"title\":\"survivor\",\"settings\":{\"OverQueue\":4}}");
            assertThat(edited.has("error")).isFalse();
            server.kill();
            assertThat(server.awaitExit(Duration.ofSeconds(10))).isNotZero();
        }
        try (SwitchboardProcess server = start()) {
            SwarmApiClient api = new SwarmApiClient(server.awaitReady(START));
            JsonObject backend = api.call("ListBackends").getAsJsonObject("0");
            assertThat(backend.get("title").getAsString()).isEqualTo("survivor");
            assertThat(backend.getAsJsonObject("settings").get("OverQueue").getAsInt()).isEqualTo(4);
        }
    }

    @Test
    void sigtermStopsCleanlyWithExitCode0AndOneReadyLine() throws Exception {
        try (SwitchboardProcess server = start()) {
            SwarmApiClient api = new SwarmApiClient(server.awaitReady(START));
            api.call("AddNewBackend", "{\"type_id\":\"comfyui_api\"}");
            server.terminate();
            assertThat(server.awaitExit(Duration.ofSeconds(30))).isZero();
            assertThat(server.output()).filteredOn(line -> line.startsWith("Switchboard listening on")).hasSize(1);
            assertThat(server.output()).contains("Data directory: " + data.toAbsolutePath().normalize(),
                    "Plugins directory: " + ShippedDistribution.plugins().toRealPath());
            assertThat(server.output()).contains("Switchboard stopped");
        }
    }

    @Test
    void aTakenPortIsAClearErrorAndReleasesTheDataDirectory() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             SwitchboardProcess server = startOnPort(taken.getLocalPort())) {
            assertThat(server.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
            assertThat(server.output()).contains("Switchboard could not start: Cannot listen on 127.0.0.1:"
                    + taken.getLocalPort() + ": Address already in use");
        }
        try (SwitchboardProcess server = start()) {
            assertThat(server.awaitReady(START)).startsWith("http://127.0.0.1:");
        }
    }

    @Test
    void unknownFlagsAreAClearError() {
        try (SwitchboardProcess server = start("--frobnicate")) {
            assertThat(server.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
            assertThat(String.join("\n", server.output())).contains("Unknown option: '--frobnicate'");
        }
    }
}
