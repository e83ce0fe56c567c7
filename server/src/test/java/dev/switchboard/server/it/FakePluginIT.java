package dev.switchboard.server.it;

import dev.switchboard.testkit.server.SwarmApiClient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * What comfyui_api does not exercise, through a packaged test plugin: secrets (edge case 7), non-real
 * children, dropdown schemas, backends whose init throws or hangs, and free-memory calls that throw or hang.
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

    @Test
    void aNonRealChildCannotBeGivenANewId() throws Exception {
        int parent = api.call("AddNewBackend", "{\"type_id\":\"fake_parent\"}").get("id").getAsInt();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(all().keySet()).containsExactly("-2", "-1",
                "0"));
        awaitStatus(-1, "running");
        String fileBefore = Files.readString(temp.resolve("data/backends.json"));

        assertThat(api.call("EditBackend", "{\"backend_id\":-1,\"title\":\"moved\",\"settings\":{},\"new_id\":5}"))
                .isEqualTo(JsonParser.parseString("{\"error\":\"Backend -1 is a non-real backend managed by backend "
                        + parent + "; it cannot be given a new id.\"}"));
        assertThat(all().keySet()).containsExactly("-2", "-1", "0");
        assertThat(all().getAsJsonObject("-1").get("title").getAsString()).isEqualTo("child 0");
        assertThat(all().getAsJsonObject("-1").get("status").getAsString()).isEqualTo("running");
        assertThat(Files.readString(temp.resolve("data/backends.json"))).isEqualTo(fileBefore);
        assertThat(api.call("AddNewBackend", "{\"type_id\":\"fake_freeing\"}").get("id").getAsInt()).isEqualTo(1);
    }

    @Test
    void freeMemoryCountsOnlyTheBackendsThatFreedWhenOneThrowsAndOneOverrunsItsDeadline() throws Exception {
        Map<String, Integer> ids = new LinkedHashMap<>();
        for (String behaviour : List.of("frees", "throws", "hangs")) {
            int id = api.call("AddNewBackend", "{\"type_id\":\"fake_freeing\"}").get("id").getAsInt();
            api.call("EditBackend", "{\"backend_id\":" + id + ",\"title\":\"" + behaviour
                    + "\",\"settings\":{\"Free\":\"" + behaviour + "\"}}");
            ids.put(behaviour, id);
        }
        ids.values().forEach(id -> awaitStatus(id, "running"));
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(log);
        try {
            assertThat(api.call("FreeBackendMemory", "{\"backend\":\"" + ids.get("throws") + "\"}"))
                    .isEqualTo(JsonParser.parseString("{\"result\":true,\"count\":0}"));
            assertThat(warnings(log)).containsExactly("backend " + ids.get("throws") + " (fake_freeing) could not free"
                    + " memory: cannot free memory on purpose");

            // All three at once: the call waits for the one that hangs until the deadline (one minute), interrupts
            // it, and counts the one that freed; every other route answers meanwhile.
            CompletableFuture<HttpResponse<String>> freeAll = freeAllAsync();
            for (int i = 0; i < 3; i++) {
                assertThat(all().keySet()).hasSize(3);
                assertThat(api.call("ToggleBackend", "{\"backend_id\":" + ids.get("frees") + ",\"enabled\":true}")
                        .get("result").getAsString()).isEqualTo("No change.");
            }
            assertThat(freeAll).as("FreeBackendMemory waits for the deadline of the one that hangs").isNotDone();
            HttpResponse<String> freed = freeAll.get(3, TimeUnit.MINUTES);
            assertThat(JsonParser.parseString(freed.body()))
                    .isEqualTo(JsonParser.parseString("{\"result\":true,\"count\":1}"));
            JsonObject hung = all().getAsJsonObject(Integer.toString(ids.get("hangs")));
            assertThat(hung.get("status").getAsString()).isEqualTo("running");
            assertThat(hung.get("status_message").getAsString()).as("what the plugin saw")
                    .isEqualTo("Freeing memory was interrupted.");
            List<String> warnings = warnings(log);
            assertThat(warnings).hasSize(3);
            assertThat(warnings.get(1)).isEqualTo("backend " + ids.get("throws") + " (fake_freeing) could not free"
                    + " memory: cannot free memory on purpose");
            // The message names what was left of the one-minute deadline for this call, e.g. "59.9 seconds".
            assertThat(warnings.get(2)).matches("backend " + ids.get("hangs") + " \\(fake_freeing\\) could not free"
                    + " memory: Freeing memory did not finish within (1 minute|[56]\\d(\\.\\d)? seconds)");
        } finally {
            root.detachAppender(log);
        }
    }

    private CompletableFuture<HttpResponse<String>> freeAllAsync() {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.url() + "/API/FreeBackendMemory"))
                .header("Content-Type", "application/json").timeout(Duration.ofMinutes(3))
                .POST(HttpRequest.BodyPublishers.ofString("{\"session_id\":\"" + api.session() + "\"}"))
                .build();
        return HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> warnings(ListAppender<ILoggingEvent> log) {
        return log.list.stream().filter(event -> event.getLevel().isGreaterOrEqual(Level.WARN)
                && event.getFormattedMessage().contains("could not free memory")).map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    /** Threads of this JVM running the fake plugin's init that hangs. */
    private static List<Thread> hungInits() {
        return Thread.getAllStackTraces().entrySet().stream().filter(thread -> Arrays.stream(thread.getValue())
                .anyMatch(frame -> frame.getClassName().startsWith("test.fake.FakeFailingType")))
                .map(Map.Entry::getKey).toList();
    }
}
