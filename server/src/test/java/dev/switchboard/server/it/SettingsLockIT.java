package dev.switchboard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.switchboard.testkit.server.SwarmApiClient;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Edge case 13: {@code --lock-settings}. */
final class SettingsLockIT {
    @TempDir
    Path data;

    @Test
    void mutatingRoutesAreRefusedAndNothingChanges() throws Exception {
        try (TestServer server = TestServer.start(data)) {
            server.client().call("AddNewBackend", "{\"type_id\":\"comfyui_api\"}");
        }
        byte[] before = Files.readAllBytes(data.resolve("backends.json"));
        try (TestServer server = TestServer.start(data, TestServer.shippedPlugins(), true)) {
            SwarmApiClient api = server.client();
            String[][] refused = {
                {"AddNewBackend", "{\"type_id\":\"comfyui_api\"}"},
                {"DeleteBackend", "{\"backend_id\":0}"},
                {"EditBackend", "{\"backend_id\":0,\"title\":\"x\",\"settings\":{}}"},
                {"ToggleBackend", "{\"backend_id\":0,\"enabled\":false}"},
                {"RestartBackends", "{}"},
            };
            for (String[] call : refused) {
                assertThat(api.call(call[0], call[1]).get("error").getAsString()).as(call[0]).isEqualTo("Settings are locked.");
            }
            // Parameter binding comes first, as in SwarmUI.
            assertThat(api.call("ToggleBackend", "{}").get("error").getAsString())
                    .isEqualTo("Missing required parameter 'backend_id'");
            JsonObject list = api.call("ListBackends");
            assertThat(list.keySet()).containsExactly("0");
            assertThat(list.getAsJsonObject("0").get("enabled").getAsBoolean()).isTrue();
            assertThat(api.call("ListBackendTypes").getAsJsonArray("list")).isNotEmpty();
            assertThat(api.call("FreeBackendMemory").get("count").getAsInt()).isZero();
        }
        assertThat(Files.readAllBytes(data.resolve("backends.json"))).isEqualTo(before);
    }
}
