package dev.switchboard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real entry point in its own JVM: SIGKILL right after an acknowledged change, and SIGTERM. */
final class ProcessLifecycleIT {
    private static final Duration START = Duration.ofSeconds(60);

    @TempDir
    Path data;

    @Test
    void aChangeAcknowledgedJustBeforeKillMinus9SurvivesIt() throws Exception {
        try (ServerProcess server = ServerProcess.start(data, TestServer.shippedPlugins())) {
            ApiClient api = new ApiClient(server.awaitReady(START));
            api.call("AddNewBackend", "{\"type_id\":\"comfyui_api\"}");
            JsonObject edited = api.call("EditBackend",
                    "{\"backend_id\":0,\"title\":\"survivor\",\"settings\":{\"OverQueue\":4}}");
            assertThat(edited.has("error")).isFalse();
            server.process().toHandle().destroyForcibly();
            assertThat(server.awaitExit(Duration.ofSeconds(10))).isNotZero();
        }
        try (ServerProcess server = ServerProcess.start(data, TestServer.shippedPlugins())) {
            ApiClient api = new ApiClient(server.awaitReady(START));
            JsonObject backend = api.call("ListBackends").getAsJsonObject("0");
            assertThat(backend.get("title").getAsString()).isEqualTo("survivor");
            assertThat(backend.getAsJsonObject("settings").get("OverQueue").getAsInt()).isEqualTo(4);
        }
    }

    @Test
    void sigtermStopsCleanlyWithExitCode0AndOneReadyLine() throws Exception {
        try (ServerProcess server = ServerProcess.start(data, TestServer.shippedPlugins())) {
            ApiClient api = new ApiClient(server.awaitReady(START));
            api.call("AddNewBackend", "{\"type_id\":\"comfyui_api\"}");
            server.process().toHandle().destroy();
            assertThat(server.awaitExit(Duration.ofSeconds(30))).isZero();
            assertThat(server.output()).filteredOn(line -> line.startsWith("Switchboard listening on")).hasSize(1);
            assertThat(server.output()).contains("Data directory: " + data.toAbsolutePath().normalize());
            assertThat(server.output()).contains("Switchboard stopped");
        }
    }

    @Test
    void unknownFlagsAreAClearError() throws Exception {
        try (ServerProcess server = ServerProcess.start(data, TestServer.shippedPlugins(), "--frobnicate")) {
            assertThat(server.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
            assertThat(String.join("\n", server.output())).contains("Unknown option: '--frobnicate'");
        }
    }
}
