package dev.switchboard.examples.autowebui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import dev.switchboard.testkit.sdwebui.FakeSdWebUiScript;
import dev.switchboard.testkit.sdwebui.SdWebUiStandIn;
import dev.switchboard.testkit.server.SwarmApiClient;
import dev.switchboard.testkit.server.SwitchboardServerHarness;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged plugin zip in a real Switchboard server, driving the SD-WebUI stand-in over real sockets. */
final class AutoWebUiServerIT {
    // tag::harness[]
    private static SwitchboardServerHarness server;
    private static SdWebUiStandIn webUi;

    @BeforeAll
    static void start() {
        webUi = SdWebUiStandIn.start();
        server = SwitchboardServerHarness.startFromSystemProperties();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        webUi.close();
    }

    @Test
    void theServerLoadsThePluginAndItsTypes() {
        JsonObject types = server.client().call("ListBackendTypes");
        assertThat(types.getAsJsonArray("list")).anySatisfy(type ->
                assertThat(type.getAsJsonObject().get("id").getAsString()).isEqualTo("auto_webui_api"));

        JsonObject plugins = server.client().call("ListPlugins");
        assertThat(plugins.toString()).contains("\"auto-webui\"").contains("\"started\"");
    }

    @Test
    void aBackendPointedAtTheWebUiBecomesRunningWithItsModel() {
        SwarmApiClient client = server.client();
        JsonObject added = client.call("AddNewBackend", "{\"type_id\":\"auto_webui_api\"}");
        int id = added.get("id").getAsInt();
        assertThat(added.get("status").getAsString()).isIn("waiting", "disabled");

        client.call("EditBackend", "{\"backend_id\":" + id + ",\"title\":\"WebUI\",\"settings\":{\"Address\":\""
                + webUi.address() + "\"}}");

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonObject view = client.call("ListBackends", "{\"full_data\":true}").getAsJsonObject(String.valueOf(id));
            assertThat(view.get("status").getAsString()).isEqualTo("running");
            assertThat(view.get("current_model").getAsString()).isEqualTo("v1-5-pruned-emaonly.safetensors");
            assertThat(view.get("status_message").getAsString()).startsWith("Running: SD-WebUI at " + webUi.address());
            assertThat(view.getAsJsonArray("features").toString()).contains("autowebui");
        });
    }
    // end::harness[]

    @Test
    void aSelfStartedWebUiIsLaunchedAndBecomesRunning(@TempDir Path folder) {
        Path script = FakeSdWebUiScript.install(folder);
        SwarmApiClient client = server.client();
        int id = client.call("AddNewBackend", "{\"type_id\":\"auto_webui_selfstart\"}").get("id").getAsInt();

        client.call("EditBackend", "{\"backend_id\":" + id + ",\"title\":\"\",\"settings\":{\"StartScript\":\""
                + script + "\",\"GPU_ID\":2}}");

        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            JsonObject view = client.call("ListBackends", "{\"full_data\":true}").getAsJsonObject(String.valueOf(id));
            assertThat(view.get("status").getAsString()).isEqualTo("running");
            assertThat(view.get("current_model").getAsString()).isEqualTo("v1-5-pruned-emaonly.safetensors");
        });
        JsonObject logs = client.call("GetBackendLogs", "{\"backend_id\":" + id + "}");
        assertThat(logs.toString()).contains("fake webui CUDA_VISIBLE_DEVICES=2").contains("--api --port=");

        client.call("DeleteBackend", "{\"backend_id\":" + id + "}");
        String program = folder.resolve("fake_webui.py").toString();
        await().atMost(Duration.ofSeconds(30)).until(() -> ProcessHandle.allProcesses()
                .noneMatch(process -> process.info().commandLine().orElse("").contains(program)));
    }

    @Test
    void aWebUiWithoutApiLeavesTheBackendErroredWithTheFix() {
        try (SdWebUiStandIn withoutApi = SdWebUiStandIn.start()) {
            withoutApi.setApiEnabled(false);
            SwarmApiClient client = server.client();
            int id = client.call("AddNewBackend", "{\"type_id\":\"auto_webui_api\"}").get("id").getAsInt();

            client.call("EditBackend", "{\"backend_id\":" + id + ",\"title\":\"\",\"settings\":{\"Address\":\""
                    + withoutApi.address() + "\"}}");

            // Three retries with backoff (1 s, 2 s, 4 s), then errored with the plugin's message.
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                JsonObject view = client.call("ListBackends").getAsJsonObject(String.valueOf(id));
                assertThat(view.get("status").getAsString()).isEqualTo("errored");
                assertThat(view.get("status_message").getAsString()).contains("start it with --api");
            });
        }
    }
}
