package dev.switchboard.server.it;

import dev.switchboard.testkit.server.SwarmApiClient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What comfyui_api does not exercise, through a packaged test plugin: secrets (edge case 7), non-real
 * children, dropdown schemas, and backends whose init throws or hangs.
 */
final class FakePluginIT {
    @TempDir
    Path temp;
    TestServer server;
    SwarmApiClient api;

    @BeforeEach
    void start() throws Exception {
        Path plugins = TestPlugins.withFake(temp);
        server = TestServer.start(temp.resolve("data"), plugins, false);
        api = server.client();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private JsonObject all() {
        return api.call("ListBackends", "{\"nonreal\":true,\"full_data\":true}");
    }

    private void awaitStatus(int id, String status) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(all().getAsJsonObject(Integer.toString(id)).get("status").getAsString()).isEqualTo(status));
    }

    @Test
    void schemaOfSecretsAndDropdowns() {
        JsonObject type = null;
        for (var element : api.call("ListBackendTypes").getAsJsonArray("list")) {
            if (element.getAsJsonObject().get("id").getAsString().equals("fake_parent")) {
                type = element.getAsJsonObject();
            }
        }
        assertThat(type).isNotNull();
        assertThat(type.get("is_standard").getAsBoolean()).isTrue();
        var settings = type.getAsJsonArray("settings");
        assertThat(settings.get(0)).isEqualTo(JsonParser.parseString("""
                {"name":"Token","type":"text","description":"A secret.","placeholder":"","is_secret":true,
                 "values":null,"value_names":null}"""));
        assertThat(settings.get(2).getAsJsonObject().get("values")).isEqualTo(JsonParser.parseString("[\"fast\",\"slow\"]"));
        assertThat(settings.get(2).getAsJsonObject().get("value_names")).isEqualTo(JsonParser.parseString("[\"Fast\",\"Slow\"]"));
    }

    @Test
    void secretsAreMaskedKeptByThePlaceholderAndStoredPlain() throws Exception {
        int id = api.call("AddNewBackend", "{\"type_id\":\"fake_parent\"}").get("id").getAsInt();
        assertThat(api.call("ListBackends").getAsJsonObject("0").getAsJsonObject("settings").get("Token").getAsString()).isEmpty();
        JsonObject edited = api.call("EditBackend", "{\"backend_id\":" + id
                + ",\"title\":\"t\",\"settings\":{\"Token\":\"Bearer canary-123\"}}");
        assertThat(edited.getAsJsonObject("settings").get("Token").getAsString()).isEqualTo("\t<secret>");
        assertThat(all().toString()).doesNotContain("canary-123");
        api.call("EditBackend", "{\"backend_id\":" + id + ",\"title\":\"t\",\"settings\":{\"Token\":\"\\t<secret>\",\"Children\":1}}");
        assertThat(Files.readString(temp.resolve("data/backends.json"))).contains("Bearer canary-123");
        api.call("EditBackend", "{\"backend_id\":" + id + ",\"title\":\"t\",\"settings\":{\"Token\":\"\"}}");
        assertThat(Files.readString(temp.resolve("data/backends.json"))).doesNotContain("canary-123");
        assertThat(api.call("ListBackends").getAsJsonObject("0").getAsJsonObject("settings").get("Token").getAsString()).isEmpty();
    }

    @Test
    void childrenAreNonRealListedOnRequestAndFollowTheirParent() {
        int parent = api.call("AddNewBackend", "{\"type_id\":\"fake_parent\"}").get("id").getAsInt();
        awaitStatus(parent, "running");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(all().keySet()).containsExactly("-2", "-1", "0"));
        assertThat(api.call("ListBackends").keySet()).containsExactly("0");
        awaitStatus(-1, "running");
        JsonObject child = all().getAsJsonObject("-1");
        assertThat(child.get("title").getAsString()).isEqualTo("child 0");
        assertThat(child.get("parent_id").getAsInt()).isEqualTo(parent);
        assertThat(child.get("features").toString()).contains("fake_child");
        assertThat(all().getAsJsonObject("0").get("current_model").getAsString()).isEqualTo("model-a");

        awaitStatus(-2, "running");
        // The parent does not free memory (default), its two children do.
        assertThat(api.call("FreeBackendMemory")).isEqualTo(JsonParser.parseString("{\"result\":true,\"count\":2}"));
        assertThat(api.call("FreeBackendMemory", "{\"backend\":\"-1\"}").get("count").getAsInt()).isEqualTo(1);

        assertThat(api.call("RestartBackends", "{\"backend\":\"0\"}").get("count").getAsInt()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(all().keySet()).containsExactly("-4", "-3", "0"));

        assertThat(api.call("DeleteBackend", "{\"backend_id\":-3}").get("result").getAsString()).isEqualTo("Deleted.");
        assertThat(all().keySet()).containsExactly("-4", "0");
        assertThat(api.call("DeleteBackend", "{\"backend_id\":0}").get("result").getAsString()).isEqualTo("Deleted.");
        assertThat(all().keySet()).isEmpty();
    }

    @Test
    void aThrowingInitIsRetriedThenErroredWithItsMessage() {
        int id = api.call("AddNewBackend", "{\"type_id\":\"fake_failing\"}").get("id").getAsInt();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(all().getAsJsonObject(Integer.toString(id)).get("status").getAsString()).isEqualTo("errored"));
        assertThat(all().getAsJsonObject(Integer.toString(id)).get("status_message").getAsString())
                .isEqualTo("engine exploded on purpose (gave up after 4 attempts)");
        // Disabling an errored backend keeps it errored, with its reason.
        api.call("ToggleBackend", "{\"backend_id\":" + id + ",\"enabled\":false}");
        JsonObject view = all().getAsJsonObject(Integer.toString(id));
        assertThat(view.get("status").getAsString()).isEqualTo("errored");
        assertThat(view.get("enabled").getAsBoolean()).isFalse();
    }

    @Test
    void aHangingInitIsErroredAtItsDeadlineWhileTheApiStaysResponsive() {
        int id = api.call("AddNewBackend", "{\"type_id\":\"fake_failing\"}").get("id").getAsInt();
        api.call("EditBackend", "{\"backend_id\":" + id + ",\"title\":\"\",\"settings\":{\"Hang\":true}}");
        long start = System.nanoTime();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(all().getAsJsonObject(Integer.toString(id)).get("status").getAsString()).isEqualTo("errored"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(all().getAsJsonObject(Integer.toString(id)).get("status_message").getAsString())
                .isEqualTo("Initialisation did not finish within 2 seconds.");

        // The init ignores interrupts, so it still runs (in this JVM, where the server is): every route answers
        // meanwhile, and another backend goes through its whole life.
        assertThat(hungInits()).as("the abandoned init still runs").isNotEmpty();
        int other = api.call("AddNewBackend", "{\"type_id\":\"fake_parent\"}").get("id").getAsInt();
        awaitStatus(other, "running");
        List<JsonObject> answers = List.of(
                api.call("EditBackend", "{\"backend_id\":" + other + ",\"title\":\"meanwhile\",\"settings\":{}}"),
                api.call("ToggleBackend", "{\"backend_id\":" + other + ",\"enabled\":false}"),
                api.call("ToggleBackend", "{\"backend_id\":" + other + ",\"enabled\":true}"),
                api.call("RestartBackends", "{\"backend\":\"" + other + "\"}"), api.call("FreeBackendMemory"),
                api.call("ListBackendTypes"), api.call("ListPlugins"));
        assertThat(answers).noneMatch(answer -> answer.has("error"));
        awaitStatus(other, "running");
        assertThat(api.call("DeleteBackend", "{\"backend_id\":" + other + "}").get("result").getAsString())
                .isEqualTo("Deleted.");
        assertThat(hungInits()).as("the abandoned init still runs").isNotEmpty();
        assertThat(api.call("DeleteBackend", "{\"backend_id\":" + id + "}").get("result").getAsString()).isEqualTo("Deleted.");
    }

    /** Threads of this JVM running the fake plugin's init that hangs. */
    private static List<Thread> hungInits() {
        return Thread.getAllStackTraces().entrySet().stream().filter(thread -> Arrays.stream(thread.getValue())
                .anyMatch(frame -> frame.getClassName().startsWith("test.fake.FakeFailingType")))
                .map(Map.Entry::getKey).toList();
    }
}
