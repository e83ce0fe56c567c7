package dev.switchboard.server.it;

import dev.switchboard.testkit.server.SwarmApiClient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.switchboard.testkit.comfyui.ComfyUiStandIn;
import dev.switchboard.testkit.comfyui.RecordedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The BackendAPI routes against the packaged comfyui plugin and a ComfyUI stand-in on a real socket
 * (backend-api-semantics.md section 9, cases 3-6 and 9-12, 15).
 */
final class BackendRoutesIT {
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

    private JsonObject backend(int id) {
        return api.call("ListBackends", "{\"nonreal\":true}").getAsJsonObject(Integer.toString(id));
    }

    private String status(int id) {
        return backend(id).get("status").getAsString();
    }

    private void awaitStatus(int id, String expected) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(status(id)).isEqualTo(expected));
    }

    private int addRunningComfy(String title) {
        int id = api.call("AddNewBackend", "{\"type_id\":\"comfyui_api\"}").get("id").getAsInt();
        JsonObject edited = api.call("EditBackend", "{\"backend_id\":" + id + ",\"title\":\"" + title
                + "\",\"settings\":{\"Address\":\"" + comfy.baseUrl() + "\"}}");
        assertThat(edited.has("error")).as(edited.toString()).isFalse();
        awaitStatus(id, "running");
        return id;
    }

    @Test
    void listBackendTypesDescribesComfyUiApi() {
        JsonObject type = null;
        for (var element : api.call("ListBackendTypes").getAsJsonArray("list")) {
            if (element.getAsJsonObject().get("id").getAsString().equals("comfyui_api")) {
                type = element.getAsJsonObject();
            }
        }
        assertThat(type).isNotNull();
        assertThat(type.keySet()).containsExactly("id", "name", "description", "settings", "is_standard");
        assertThat(type.get("is_standard").getAsBoolean()).isFalse();
        List<String> names = new ArrayList<>();
        for (var setting : type.getAsJsonArray("settings")) {
            JsonObject json = setting.getAsJsonObject();
            assertThat(json.keySet()).containsExactly("name", "type", "description", "placeholder", "is_secret",
                    "values", "value_names");
            names.add(json.get("name").getAsString() + ":" + json.get("type").getAsString());
        }
        assertThat(names).containsExactly("Address:text", "AllowIdle:boolean", "OverQueue:integer",
                "EnableFrontendDev:boolean");
    }

    @Test
    void addReturnsTheDefaultViewAndEmptyAddressDisables() {
        assertThat(api.call("AddNewBackend", "{\"type_id\":\"ComfyUI_API\"}").get("error").getAsString())
                .isEqualTo("Invalid backend type: ComfyUI_API");
        assertThat(api.call("AddNewBackend", "{\"type_id\":\"\"}").get("error").getAsString())
                .isEqualTo("Invalid backend type: ");

        JsonObject view = api.call("AddNewBackend", "{\"type_id\":\"comfyui_api\"}");
        assertThat(view.keySet()).containsExactly("type", "status", "id", "settings", "modcount", "features",
                "enabled", "title", "max_usages", "seconds_since_used", "time_since_used", "can_load_models",
                "status_message");
        assertThat(view.get("id").getAsInt()).isZero();
        assertThat(view.get("type").getAsString()).isEqualTo("comfyui_api");
        assertThat(view.get("settings")).isEqualTo(JsonParser.parseString(
                "{\"Address\":\"\",\"AllowIdle\":false,\"OverQueue\":1,\"EnableFrontendDev\":false}"));
        assertThat(view.get("title").getAsString()).isEmpty();
        assertThat(view.get("enabled").getAsBoolean()).isTrue();
        assertThat(view.get("modcount").getAsInt()).isZero();
        assertThat(view.get("time_since_used").getAsString()).isEqualTo("Never");
        assertThat(view.get("seconds_since_used").getAsInt()).isZero();
        assertThat(view.get("status").getAsString()).isIn("waiting", "loading", "disabled");
        // Like SwarmUI's, a new ComfyUI backend advertises the base features before it has loaded anything.
        assertThat(view.get("features").toString()).contains("\"comfyui\"", "\"folderslash\"");

        awaitStatus(0, "disabled");
        assertThat(backend(0).get("status_message").getAsString()).isEqualTo("No address is set. Enter ComfyUI's"
                + " address, for example http://127.0.0.1:8188, to use this backend.");
        assertThat(backend(0).get("max_usages").getAsInt()).isEqualTo(2);
    }

    @Test
    void idsAreHighestPlusOneAndNeverReused() {
        for (int i = 0; i < 3; i++) {
            assertThat(api.call("AddNewBackend", "{\"type_id\":\"comfyui_api\"}").get("id").getAsInt()).isEqualTo(i);
        }
        assertThat(api.call("DeleteBackend", "{\"backend_id\":2}").get("result").getAsString()).isEqualTo("Deleted.");
        assertThat(api.call("AddNewBackend", "{\"type_id\":\"comfyui_api\"}").get("id").getAsInt()).isEqualTo(3);
    }

    @Test
    void runningComfyUiAdvertisesFeaturesAndConcurrency() {
        comfy.setModels("CheckpointLoaderSimple", List.of("sdxl/base.safetensors", "sd15.safetensors"));
        int id = addRunningComfy("GPU box");
        JsonObject view = backend(id);
        assertThat(view.get("max_usages").getAsInt()).isEqualTo(2);
        assertThat(view.get("features").toString()).contains("\"comfyui\"", "\"folderslash\"");
        assertThat(view.get("title").getAsString()).isEqualTo("GPU box");
        assertThat(view.get("modcount").getAsInt()).isEqualTo(1);
        assertThat(view.has("current_model")).isFalse();
        JsonObject full = api.call("ListBackends", "{\"full_data\":true}").getAsJsonObject(Integer.toString(id));
        assertThat(full.has("current_model")).isTrue();
        assertThat(full.get("current_model").isJsonNull()).isTrue();

        JsonObject uiOnly = api.call("EditBackend", "{\"backend_id\":" + id
                + ",\"title\":\"GPU box\",\"settings\":{\"OverQueue\":\"-1\"}}");
        assertThat(uiOnly.get("settings").getAsJsonObject().get("OverQueue").getAsInt()).isEqualTo(-1);
        awaitStatus(id, "running");
        assertThat(backend(id).get("max_usages").getAsInt()).isZero();
    }

    @Test
    void editMergesSettingsReplacesTitleAndCountsEdits() {
        int id = addRunningComfy("First");
        JsonObject edited = api.call("EditBackend", "{\"backend_id\":" + id
                + ",\"title\":\"\",\"settings\":{\"OverQueue\":\"2\",\"address\":\"http://ignored\",\"Unknown\":1}}");
        assertThat(edited.get("title").getAsString()).isEmpty();
        assertThat(edited.get("modcount").getAsInt()).isEqualTo(2);
        assertThat(edited.get("settings").getAsJsonObject().get("Address").getAsString()).isEqualTo(comfy.baseUrl());
        assertThat(edited.get("settings").getAsJsonObject().get("OverQueue").getAsInt()).isEqualTo(2);
        awaitStatus(id, "running");
        assertThat(backend(id).get("max_usages").getAsInt()).isEqualTo(3);

        api.call("ToggleBackend", "{\"backend_id\":" + id + ",\"enabled\":false}");
        api.call("ToggleBackend", "{\"backend_id\":" + id + ",\"enabled\":true}");
        awaitStatus(id, "running");
        api.call("RestartBackends");
        awaitStatus(id, "running");
        assertThat(backend(id).get("modcount").getAsInt()).isEqualTo(2);
    }

    @Test
    void editErrorsInSwarmUiOrder() {
        int id = addRunningComfy("Box");
        assertThat(api.call("EditBackend", "{\"backend_id\":99,\"title\":\"x\"}").get("error").getAsString())
                .isEqualTo("Missing settings.");
        assertThat(api.call("EditBackend", "{\"backend_id\":99,\"title\":\"x\",\"settings\":[]}").get("error")
                .getAsString()).isEqualTo("Missing settings.");
        assertThat(api.call("EditBackend", "{\"backend_id\":99,\"title\":\"x\",\"raw_inp\":{\"settings\":{}}}")
                .get("error").getAsString()).isEqualTo("Missing settings.");
        assertThat(api.call("EditBackend", "{\"backend_id\":99,\"title\":\"x\",\"settings\":{}}").get("error")
                .getAsString()).isEqualTo("Invalid backend ID 99");
        assertThat(api.call("EditBackend", "{\"backend_id\":99,\"title\":\"x\",\"settings\":{},\"new_id\":" + id + "}")
                .get("error").getAsString()).isEqualTo("Backend ID " + id + " is already in use.");
    }

    @Test
    void badSettingValuesChangeNothing() throws Exception {
        int id = addRunningComfy("Box");
        String fileBefore = Files.readString(data.resolve("backends.json"));
        Map<String, String> refusals = new LinkedHashMap<>();
        refusals.put("{\"OverQueue\":\"abc\"}", "Invalid value \"abc\" for setting 'OverQueue': expected a whole number.");
        refusals.put("{\"OverQueue\":5.5}", "Invalid value 5.5 for setting 'OverQueue': expected a whole number.");
        refusals.put("{\"AllowIdle\":\"yes\"}", "Invalid value \"yes\" for setting 'AllowIdle': expected true or false.");
        refusals.put("{\"Address\":null}", "Setting 'Address' cannot be null; send a text.");
        refusals.put("{\"Address\":\"not a url\"}", "Invalid value for setting 'Address': Address is not a valid URL"
                + " (Illegal character in path); write it like http://127.0.0.1:8188.");
        refusals.put("{\"OverQueue\":1,\"AllowIdle\":1}", "Invalid value 1 for setting 'AllowIdle': expected true or false.");
        refusals.forEach((bad, expected) -> assertThat(api.call("EditBackend", "{\"backend_id\":" + id
                + ",\"title\":\"Changed\",\"settings\":" + bad + "}")).as(bad)
                .isEqualTo(JsonParser.parseString("{\"error\":" + new com.google.gson.JsonPrimitive(expected) + "}")));
        JsonObject view = backend(id);
        assertThat(view.get("status").getAsString()).isEqualTo("running");
        assertThat(view.get("title").getAsString()).isEqualTo("Box");
        assertThat(view.get("modcount").getAsInt()).isEqualTo(1);
        assertThat(Files.readString(data.resolve("backends.json"))).isEqualTo(fileBefore);
    }

    @Test
    void newIdMovesTheBackendAndAdvancesTheCounter() throws Exception {
        int id = addRunningComfy("Box");
        JsonObject same = api.call("EditBackend", "{\"backend_id\":" + id + ",\"title\":\"Box\",\"settings\":{},\"new_id\":" + id + "}");
        assertThat(same.get("id").getAsInt()).isEqualTo(id);
        JsonObject moved = api.call("EditBackend", "{\"backend_id\":" + id + ",\"title\":\"Box\",\"settings\":{},\"new_id\":7}");
        assertThat(moved.get("id").getAsInt()).isEqualTo(7);
        JsonObject list = api.call("ListBackends");
        assertThat(list.keySet()).containsExactly("7");
        assertThat(JsonParser.parseString(Files.readString(data.resolve("backends.json"))).getAsJsonObject()
                .getAsJsonArray("backends").get(0).getAsJsonObject().get("id").getAsInt()).isEqualTo(7);
        assertThat(api.call("AddNewBackend", "{\"type_id\":\"comfyui_api\"}").get("id").getAsInt()).isEqualTo(8);
        awaitStatus(7, "running");
    }

    @Test
    void toggleSemantics() {
        int id = addRunningComfy("Box");
        assertThat(api.call("ToggleBackend", "{\"backend_id\":" + id + ",\"enabled\":true}").get("result").getAsString())
                .isEqualTo("No change.");
        assertThat(api.call("ToggleBackend", "{\"backend_id\":" + id + ",\"enabled\":false}").get("result").getAsString())
                .isEqualTo("Success.");
        JsonObject view = backend(id);
        assertThat(view.get("enabled").getAsBoolean()).isFalse();
        assertThat(view.get("status").getAsString()).isEqualTo("disabled");
        assertThat(api.call("FreeBackendMemory").get("result").getAsBoolean()).isFalse();
        assertThat(api.call("ToggleBackend", "{\"backend_id\":" + id + ",\"enabled\":true}").get("result").getAsString())
                .isEqualTo("Success.");
        awaitStatus(id, "running");
    }

    @Test
    void deleteSemantics() {
        int id = addRunningComfy("Box");
        assertThat(api.call("DeleteBackend", "{\"backend_id\":" + id + "}").get("result").getAsString()).isEqualTo("Deleted.");
        assertThat(api.call("ListBackends").keySet()).isEmpty();
        assertThat(api.call("DeleteBackend", "{\"backend_id\":" + id + "}").get("result").getAsString())
                .isEqualTo("Already didn't exist.");
    }

    @Test
    void restartCountsOnlyRunningOrErroredBackendsAndMatchesIdTextExactly() {
        int running = addRunningComfy("Box");
        api.call("AddNewBackend", "{\"type_id\":\"comfyui_api\"}");
        awaitStatus(running + 1, "disabled");
        assertThat(api.call("RestartBackends", "{\"backend\":\"0" + running + "\"}").get("count").getAsInt()).isZero();
        assertThat(api.call("RestartBackends", "{\"backend\":\"ALL\"}").get("count").getAsInt()).isZero();
        JsonObject one = api.call("RestartBackends", "{\"backend\":\"" + running + "\"}");
        assertThat(one.get("result").getAsString()).isEqualTo("Success.");
        assertThat(one.get("count").getAsInt()).isEqualTo(1);
        awaitStatus(running, "running");
        assertThat(api.call("RestartBackends").get("count").getAsInt()).isEqualTo(1);
        awaitStatus(running, "running");
    }

    @Test
    void freeMemoryPostsToComfyUi() {
        assertThat(api.call("FreeBackendMemory")).isEqualTo(JsonParser.parseString("{\"result\":false,\"count\":0}"));
        int id = addRunningComfy("Box");
        comfy.clearRequests();
        assertThat(api.call("FreeBackendMemory", "{\"system_ram\":true}"))
                .isEqualTo(JsonParser.parseString("{\"result\":true,\"count\":1}"));
        List<RecordedRequest> frees = comfy.requests().stream()
                .filter(request -> request.path().equals("/free")).toList();
        assertThat(frees).hasSize(1);
        assertThat(frees.get(0).method()).isEqualTo("POST");
        assertThat(JsonParser.parseString(frees.get(0).body()))
                .isEqualTo(JsonParser.parseString("{\"unload_models\":true,\"free_memory\":true}"));
        assertThat(api.call("FreeBackendMemory", "{\"backend\":\"" + (id + 1) + "\"}").get("result").getAsBoolean()).isFalse();
        assertThat(api.call("FreeBackendMemory", "{\"backend\":\"" + id + "\",\"system_ram\":false}").get("count").getAsInt())
                .isEqualTo(1);
        assertThat(status(id)).isEqualTo("running");
    }

    @Test
    void unreachableComfyUiRetriesThenErrorsWithTheReason() {
        int id = api.call("AddNewBackend", "{\"type_id\":\"comfyui_api\"}").get("id").getAsInt();
        comfy.refuse();
        api.call("EditBackend", "{\"backend_id\":" + id + ",\"title\":\"\",\"settings\":{\"Address\":\"" + comfy.baseUrl() + "\"}}");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(status(id)).isEqualTo("errored"));
        String message = backend(id).get("status_message").getAsString();
        assertThat(message).isEqualTo("Could not connect to ComfyUI at " + comfy.baseUrl() + ": connection refused."
                + " Is ComfyUI running, and is the address right? (gave up after 4 attempts)");
        comfy.resume();
        assertThat(api.call("RestartBackends", "{\"backend\":\"" + id + "\"}").get("count").getAsInt()).isEqualTo(1);
        awaitStatus(id, "running");
    }

    @Test
    void allowIdleGoesIdleAndComesBack() {
        int id = api.call("AddNewBackend", "{\"type_id\":\"comfyui_api\"}").get("id").getAsInt();
        comfy.refuse();
        api.call("EditBackend", "{\"backend_id\":" + id + ",\"title\":\"\",\"settings\":{\"Address\":\"" + comfy.baseUrl()
                + "\",\"AllowIdle\":true}}");
        awaitStatus(id, "idle");
        assertThat(backend(id).get("status_message").getAsString()).isEqualTo("Could not connect to ComfyUI at "
                + comfy.baseUrl() + ": connection refused. Is ComfyUI running, and is the address right? Checking"
                + " again every 5 s.");
        comfy.resume();
        awaitStatus(id, "running");
    }
}
