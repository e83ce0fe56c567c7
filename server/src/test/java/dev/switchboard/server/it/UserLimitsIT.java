package dev.switchboard.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.switchboard.server.bootstrap.ServerOptions;
import dev.switchboard.server.limits.RoleLimits;
import dev.switchboard.server.limits.UserLimits;
import dev.switchboard.testkit.server.SwarmApiClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The role limits on a real port, with the limits built in the test (the single user {@code local} holds one role):
 * ListModels leaves out the models the role does not allow, a generation naming one is refused by name over HTTP
 * and WebSocket with nothing queued, a role without generations is refused, and a user at their bound of running
 * jobs waits with a backend free.
 */
final class UserLimitsIT {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path temp;
    private TestServer server;
    private SwarmApiClient api;

    private void start(RoleLimits localsRole) throws Exception {
        start(Map.of("local", localsRole));
    }

    /** A server where each user named holds that one role, and everyone else a role without limits. */
    private void start(Map<String, RoleLimits> roles) throws Exception {
        Path plugins = TestPlugins.copyShippedWithEcho(temp);
        RoleLimits unlimited = RoleLimits.of(Integer.MAX_VALUE, List.of(), List.of());
        server = TestServer.start(new ServerOptions("127.0.0.1", 0, temp.resolve("data"), plugins, false, 1 << 20,
                Duration.ofMinutes(10)), UserLimits.fromRoles(user -> List.of(roles.getOrDefault(user, unlimited))));
        api = server.client();
    }

    /** A client whose sessions belong to {@code user} (the server without accounts takes SwarmUI's header). */
    private SwarmApiClient clientOf(String user) {
        return new SwarmApiClient(server.url(), Map.of("X-SWARM-USER_ID", user));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private int echo(String settings) {
        int id = api.call("AddNewBackend", "{\"type_id\":\"example_echo\"}").get("id").getAsInt();
        JsonObject edited = api.call("EditBackend", "{\"backend_id\":" + id + ",\"title\":\"echo " + id
                + "\",\"settings\":" + settings + "}");
        assertThat(edited.has("error")).as("%s", edited).isFalse();
        await().atMost(PATIENCE).until(() -> "running".equals(view(id).get("status").getAsString()));
        return id;
    }

    private JsonObject view(int id) {
        return api.call("ListBackends", "{\"full_data\":true}").getAsJsonObject(Integer.toString(id));
    }

    private JsonObject status() {
        return api.call("GetCurrentStatus").getAsJsonObject("status");
    }

    private String error(String request) {
        JsonObject answer = api.call("GenerateText2Image", request);
        assertThat(answer.has("error")).as("%s", answer).isTrue();
        return answer.get("error").getAsString();
    }

    @Test
    void modelsTheRoleDoesNotAllowAreNotListedAndAreRefusedByName() throws Exception {
        start(RoleLimits.of(4, List.of("echo/"), List.of("echo/secret/")));
        int id = echo("{\"Models\":\"echo/gradient.safetensors,echo/secret/stripes.safetensors,top.safetensors\"}");

        JsonObject all = api.call("ListModels", "{\"path\":\"\",\"depth\":999}");
        List<String> names = new ArrayList<>();
        all.getAsJsonArray("files").forEach(file -> names.add(file.getAsJsonObject().get("name").getAsString()));
        assertThat(names).containsExactly("echo/gradient.safetensors");
        assertThat(all.getAsJsonArray("folders").toString()).isEqualTo("[\"echo\"]");

        assertThat(error("{\"images\":1,\"model\":\"echo/secret/stripes\"}"))
                .isEqualTo("You may not use the model 'echo/secret/stripes': your role does not allow it.");
        assertThat(error("{\"images\":3,\"model\":\"TOP.safetensors\"}"))
                .isEqualTo("You may not use the model 'TOP.safetensors': your role does not allow it.");
        try (GenerationSocket socket = GenerationSocket.open(api.baseUrl(), "GenerateText2ImageWS",
                "{\"session_id\":\"" + api.session() + "\",\"images\":1,\"model\":\"top\"}")) {
            assertThat(socket.untilClosed(PATIENCE)).contains(JsonParser.parseString(
                    "{\"error\":\"You may not use the model 'top': your role does not allow it.\"}")
                    .getAsJsonObject());
        }
        assertThat(status().get("waiting_gens").getAsInt()).isZero();
        assertThat(view(id).get("current_model").isJsonNull()).as("no job reached the backend").isTrue();

        JsonObject allowed = api.call("GenerateText2Image", "{\"images\":1,\"model\":\"echo/gradient\","
                + "\"donotsave\":true}");
        assertThat(allowed.getAsJsonArray("images")).hasSize(1);
        // Loading a hidden model is refused as if it did not exist; an allowed one loads.
        assertThat(api.call("SelectModel", "{\"model\":\"echo/secret/stripes\"}").toString())
                .isEqualTo("{\"error\":\"Model not found.\"}");
        assertThat(api.call("SelectModel", "{\"model\":\"echo/gradient\"}").toString())
                .isEqualTo("{\"success\":true}");
    }

    @Test
    void aRoleWithoutGenerationsIsRefusedWithTheReason() throws Exception {
        start(RoleLimits.of(0, List.of(), List.of()));
        echo("{\"StepMillis\":0}");

        assertThat(error("{\"images\":1,\"model\":\"echo/gradient\"}"))
                .isEqualTo("Your role does not allow generating images (max_t2i_simultaneous is 0).");
        assertThat(status().get("waiting_gens").getAsInt()).isZero();
    }

    @Test
    void aUserAtTheirBoundWaitsThoughABackendIsFree() throws Exception {
        start(RoleLimits.of(1, List.of(), List.of()));
        int first = echo("{\"StepMillis\":300,\"Slots\":1}");
        int second = echo("{\"StepMillis\":300,\"Slots\":1}");

        List<JsonObject> messages;
        try (GenerationSocket socket = GenerationSocket.open(api.baseUrl(), "GenerateText2ImageWS",
                "{\"session_id\":\"" + api.session() + "\",\"images\":2,\"model\":\"echo/gradient\",\"steps\":4,"
                        + "\"width\":64,\"height\":64,\"donotsave\":true}")) {
            // One job runs, the other waits, and one of the two backends is idle the while.
            await().atMost(PATIENCE).until(() -> {
                JsonObject status = status();
                return status.get("live_gens").getAsInt() == 1 && status.get("waiting_backends").getAsInt() == 1
                        && view(first).get("usages").getAsInt() + view(second).get("usages").getAsInt() == 1;
            });
            messages = socket.untilClosed(PATIENCE);
        }

        assertThat(messages).noneMatch(message -> message.has("error"));
        assertThat(messages.stream().filter(message -> message.has("image"))).hasSize(2);
        // The jobs ran one after the other: every message of the first comes before any of the second.
        List<Integer> batches = new ArrayList<>();
        for (JsonObject message : messages) {
            JsonElement index = message.has("gen_progress")
                    ? message.getAsJsonObject("gen_progress").get("batch_index") : message.get("batch_index");
            if (index != null) {
                batches.add(Integer.parseInt(index.getAsString()));
            }
        }
        assertThat(batches).contains(0, 1).isSorted();
    }

    @Test
    void aUserAtTheirBoundDoesNotHoldUpAnotherUsersJob() throws Exception {
        start(Map.of("ann", RoleLimits.of(1, List.of(), List.of())));
        // Both free and alike, so Ann's first job goes to the lower id: the slow one, where it runs for minutes.
        int slow = echo("{\"StepMillis\":60000,\"Slots\":1}");
        int fast = echo("{\"StepMillis\":0,\"Slots\":1}");
        SwarmApiClient ann = clientOf("ann");
        SwarmApiClient bob = clientOf("bob");

        try (GenerationSocket socket = GenerationSocket.open(api.baseUrl(), "GenerateText2ImageWS",
                "{\"session_id\":\"" + ann.session() + "\",\"images\":2,\"model\":\"echo/gradient\",\"steps\":5,"
                        + "\"donotsave\":true}")) {
            await().atMost(PATIENCE).until(() -> view(slow).get("usages").getAsInt() == 1);
            JsonObject annsStatus = ann.call("GetCurrentStatus").getAsJsonObject("status");
            assertThat(annsStatus.get("live_gens").getAsInt()).isEqualTo(1);
            assertThat(annsStatus.get("waiting_backends").getAsInt()).isEqualTo(1);
            assertThat(view(fast).get("usages").getAsInt()).isZero();

            // Bob's job, queued after Ann's waiting one, takes the free backend at once.
            JsonObject bobs = bob.call("GenerateText2Image", "{\"images\":1,\"model\":\"echo/gradient\","
                    + "\"steps\":1,\"donotsave\":true}");
            assertThat(bobs.getAsJsonArray("images")).as("%s", bobs).hasSize(1);
            annsStatus = ann.call("GetCurrentStatus").getAsJsonObject("status");
            assertThat(annsStatus.get("live_gens").getAsInt()).isEqualTo(1);
            assertThat(annsStatus.get("waiting_backends").getAsInt()).isEqualTo(1);

            assertThat(ann.call("InterruptAll", "{\"other_sessions\":false}").get("success").getAsBoolean()).isTrue();
            assertThat(socket.untilClosed(PATIENCE)).contains(JsonParser.parseString(
                    "{\"error\":\"Generation session interrupted.\"}").getAsJsonObject());
        }
    }
}
