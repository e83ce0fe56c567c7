package dev.switchboard.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import dev.switchboard.testkit.comfyui.ComfyUiStandIn;
import dev.switchboard.testkit.server.SwarmApiClient;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged comfyui plugin's health probe with its production timing (a probe every 5 s, 10 s each) in a real
 * server: a running {@code comfyui_api} backend whose ComfyUI dies becomes {@code errored} with an actionable
 * reason instead of looking alive (SwarmUI#353), and Restart or Toggle brings it back once ComfyUI answers.
 */
final class ComfyUiHealthIT {
    private static final Duration PERIOD_PLUS_DEADLINE = Duration.ofSeconds(15);
    private static final Duration MARGIN = Duration.ofSeconds(15);

    @TempDir
    Path data;
    TestServer server;
    SwarmApiClient api;
    ComfyUiStandIn comfy;

    @BeforeEach
    void start() throws Exception {
        comfy = ComfyUiStandIn.start();
        server = TestServer.start(data);
        api = server.client();
    }

    @AfterEach
    void stop() {
        server.close();
        comfy.close();
    }

    @Test
    void aDeadComfyUiErrorsTheBackendAndRestartRecoversIt() {
        int id = addRunningComfy();

        comfy.refuse();
        long took = millisUntilStatus(id, "errored");

        System.out.printf("R5 server, refusing: running -> errored after %d ms%n", took);
        assertThat(took).isLessThan(PERIOD_PLUS_DEADLINE.plus(MARGIN).toMillis());
        assertThat(view(id).get("status_message").getAsString()).startsWith("ComfyUI at " + comfy.baseUrl()
                + " stopped answering: Could not connect to ComfyUI at " + comfy.baseUrl() + ": connection refused.")
                .endsWith("Restart the backend (or turn it off and on) once ComfyUI is back, or enable AllowIdle to"
                        + " wait for it automatically.");
        // Errored stays errored: no retry loop hammers a dead server behind the operator's back.
        await().pollDelay(Duration.ofSeconds(2)).atMost(MARGIN).until(() -> true);
        assertThat(status(id)).isEqualTo("errored");

        comfy.resume();
        assertThat(api.call("RestartBackends", "{\"backend\":\"" + id + "\"}").get("count").getAsInt()).isEqualTo(1);
        awaitStatus(id, "running");
    }

    @Test
    void aStalledComfyUiErrorsTheBackendWithinPeriodPlusDeadlineAndToggleRecoversIt() {
        int id = addRunningComfy();

        comfy.stall();
        long took = millisUntilStatus(id, "errored");

        System.out.printf("R5 server, blackholed: running -> errored after %d ms (period + deadline = %d ms)%n", took,
                PERIOD_PLUS_DEADLINE.toMillis());
        assertThat(took).isLessThan(PERIOD_PLUS_DEADLINE.plus(MARGIN).toMillis());
        assertThat(view(id).get("status_message").getAsString())
                .contains("stopped answering: ComfyUI at " + comfy.baseUrl() + " did not answer GET /features within 10 s.");

        comfy.resume();
        assertThat(api.call("ToggleBackend", "{\"backend_id\":" + id + ",\"enabled\":false}").get("result").getAsString())
                .isEqualTo("Success.");
        assertThat(view(id).get("enabled").getAsBoolean()).isFalse();
        assertThat(api.call("ToggleBackend", "{\"backend_id\":" + id + ",\"enabled\":true}").get("result").getAsString())
                .isEqualTo("Success.");
        awaitStatus(id, "running");
    }

    private int addRunningComfy() {
        int id = api.call("AddNewBackend", "{\"type_id\":\"comfyui_api\"}").get("id").getAsInt();
        JsonObject edited = api.call("EditBackend", "{\"backend_id\":" + id + ",\"title\":\"GPU box\",\"settings\":"
                + "{\"Address\":\"" + comfy.baseUrl() + "\"}}");
        assertThat(edited.has("error")).as(edited.toString()).isFalse();
        awaitStatus(id, "running");
        return id;
    }

    private long millisUntilStatus(int id, String expected) {
        long started = System.nanoTime();
        await().atMost(PERIOD_PLUS_DEADLINE.plus(MARGIN)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(status(id)).isEqualTo(expected));
        return Duration.ofNanos(System.nanoTime() - started).toMillis();
    }

    private void awaitStatus(int id, String expected) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(status(id)).isEqualTo(expected));
    }

    private String status(int id) {
        return view(id).get("status").getAsString();
    }

    private JsonObject view(int id) {
        return api.call("ListBackends", "{\"nonreal\":true}").getAsJsonObject(Integer.toString(id));
    }
}
