package dev.switchboard.server.it;

import dev.switchboard.testkit.server.SwarmApiClient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.switchboard.server.bootstrap.StartupException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Edge case 14 and the store's guarantees, through the API across server restarts. */
final class PersistenceIT {
    @TempDir
    Path data;

    @Test
    void everyAcknowledgedChangeSurvivesARestart() throws Exception {
        try (TestServer server = TestServer.start(data)) {
            SwarmApiClient api = server.client();
            for (int i = 0; i < 3; i++) {
                api.call("AddNewBackend", "{\"type_id\":\"comfyui_api\"}");
            }
            api.call("EditBackend", "{\"backend_id\":0,\"title\":\"Box A\",\"settings\":{\"Address\":\"http://127.0.0.1:1\",\"OverQueue\":3,\"AllowIdle\":true}}");
            api.call("ToggleBackend", "{\"backend_id\":1,\"enabled\":false}");
            api.call("DeleteBackend", "{\"backend_id\":2}");
        }
        try (TestServer server = TestServer.start(data)) {
            SwarmApiClient api = server.client();
            JsonObject list = api.call("ListBackends");
            assertThat(list.keySet()).containsExactly("0", "1");
            JsonObject first = list.getAsJsonObject("0");
            assertThat(first.get("title").getAsString()).isEqualTo("Box A");
            assertThat(first.get("modcount").getAsInt()).isZero();
            assertThat(first.get("settings")).isEqualTo(JsonParser.parseString(
                    "{\"Address\":\"http://127.0.0.1:1\",\"AllowIdle\":true,\"OverQueue\":3,\"EnableFrontendDev\":false}"));
            assertThat(list.getAsJsonObject("1").get("enabled").getAsBoolean()).isFalse();
            assertThat(list.getAsJsonObject("1").get("status").getAsString()).isIn("waiting", "disabled");
            // The highest id ever given out is not handed out again, even after a restart.
            assertThat(api.call("AddNewBackend", "{\"type_id\":\"comfyui_api\"}").get("id").getAsInt()).isEqualTo(3);
        }
        assertThat(Files.exists(data.resolve("backends.json.1"))).isTrue();
    }

    @Test
    void entriesOfUnknownTypesAreKeptVerbatimAndReported() throws Exception {
        Files.createDirectories(data);
        Files.writeString(data.resolve("backends.json"), """
                {
                  "schema_version": 1,
                  "next_id": 1,
                  "backends": [
                    {"id": 0, "type": "comfyui_api", "title": "kept", "enabled": true,
                     "settings": {"Address": "", "FutureSetting": [1, 2]}},
                    {"id": 5, "type": "gone_type", "title": "orphan", "enabled": false,
                     "settings": {"Secret": "x"}, "comment": "from a newer plugin"}
                  ],
                  "written_by": "a later version"
                }
                """);
        try (TestServer server = TestServer.start(data)) {
            SwarmApiClient api = server.client();
            assertThat(api.call("ListBackends").keySet()).containsExactly("0");
            JsonArray unloaded = api.call("ListPlugins").getAsJsonArray("unloaded_backends");
            assertThat(unloaded).isEqualTo(JsonParser.parseString("[{\"id\":5,\"type\":\"gone_type\",\"title\":"
                    + "\"orphan\",\"reason\":\"Backend type 'gone_type' is not available: its plugin is not installed or"
                    + " failed to load.\"}]"));
            api.call("EditBackend", "{\"backend_id\":0,\"title\":\"edited\",\"settings\":{\"OverQueue\":2}}");
            assertThat(api.call("AddNewBackend", "{\"type_id\":\"comfyui_api\"}").get("id").getAsInt()).isEqualTo(6);
            assertThat(api.call("EditBackend", "{\"backend_id\":0,\"title\":\"x\",\"settings\":{},\"new_id\":5}")
                    .get("error").getAsString()).isEqualTo("Backend ID 5 is already in use.");
        }
        JsonObject file = JsonParser.parseString(Files.readString(data.resolve("backends.json"))).getAsJsonObject();
        assertThat(file.get("written_by").getAsString()).isEqualTo("a later version");
        JsonObject orphan = null;
        JsonObject kept = null;
        for (var entry : file.getAsJsonArray("backends")) {
            JsonObject json = entry.getAsJsonObject();
            if (json.get("id").getAsInt() == 5) {
                orphan = json;
            } else if (json.get("id").getAsInt() == 0) {
                kept = json;
            }
        }
        assertThat(orphan).isEqualTo(JsonParser.parseString("""
                {"id": 5, "type": "gone_type", "title": "orphan", "enabled": false,
                 "settings": {"Secret": "x"}, "comment": "from a newer plugin"}"""));
        assertThat(kept.get("title").getAsString()).isEqualTo("edited");
        assertThat(kept.getAsJsonObject("settings").get("FutureSetting")).isEqualTo(JsonParser.parseString("[1,2]"));
    }

    @Test
    void anUnreadableFileIsNeverOverwritten() throws Exception {
        Files.createDirectories(data);
        byte[] damaged = "{\"schema_version\": 1, \"next_id\": 2, \"backends\": [ {\"id\": 0, \"ty".getBytes(StandardCharsets.UTF_8);
        Files.write(data.resolve("backends.json"), damaged);
        try (TestServer server = TestServer.start(data)) {
            SwarmApiClient api = server.client();
            assertThat(api.call("ListBackends").keySet()).isEmpty();
            String error = api.call("AddNewBackend", "{\"type_id\":\"comfyui_api\"}").get("error").getAsString();
            assertThat(error).contains("backends.json");
            assertThat(api.call("ListBackends").keySet()).isEmpty();
        }
        assertThat(Files.readAllBytes(data.resolve("backends.json"))).isEqualTo(damaged);
    }

    @Test
    void twoServersCannotShareADataDirectory() throws Exception {
        try (TestServer first = TestServer.start(data)) {
            assertThatThrownBy(() -> TestServer.start(data))
                    .isInstanceOf(StartupException.class)
                    .hasMessageContaining("already in use");
            assertThat(first.client().call("ListBackends").keySet()).isEmpty();
        }
        try (TestServer again = TestServer.start(data)) {
            assertThat(again.client().call("ListBackends").keySet()).isEmpty();
        }
    }

    @Test
    void anEntryWhosePluginIsMissingCanBeDeleted() throws Exception {
        Files.createDirectories(data);
        Files.writeString(data.resolve("backends.json"), """
                {"schema_version": 1, "next_id": 6, "backends": [
                  {"id": 0, "type": "comfyui_api", "title": "kept", "enabled": false, "settings": {}},
                  {"id": 5, "type": "gone_type", "title": "orphan", "enabled": true, "settings": {"Secret": "x"}}]}
                """);
        try (TestServer server = TestServer.start(data)) {
            SwarmApiClient api = server.client();
            assertThat(api.call("ListPlugins").getAsJsonArray("unloaded_backends")).hasSize(1);
            assertThat(api.call("DeleteBackend", "{\"backend_id\":5}").get("result").getAsString()).isEqualTo("Deleted.");
            assertThat(api.call("ListPlugins").getAsJsonArray("unloaded_backends")).isEmpty();
            assertThat(storedIds()).containsExactly(0);
            assertThat(api.call("DeleteBackend", "{\"backend_id\":5}").get("result").getAsString())
                    .isEqualTo("Already didn't exist.");
            // Its id stays given out.
            assertThat(api.call("AddNewBackend", "{\"type_id\":\"comfyui_api\"}").get("id").getAsInt()).isEqualTo(6);
        }
        try (TestServer server = TestServer.start(data)) {
            SwarmApiClient api = server.client();
            assertThat(api.call("ListPlugins").getAsJsonArray("unloaded_backends")).isEmpty();
            assertThat(api.call("ListBackends").keySet()).containsExactly("0", "6");
        }
    }

    @Test
    void aStoredEntryWhoseSettingsNoLongerBindIsKeptUnloadedUntilDeleted() throws Exception {
        Files.createDirectories(data);
        String unbindable = "{\"id\": 0, \"type\": \"comfyui_api\", \"title\": \"old box\", \"enabled\": true,"
                + " \"settings\": {\"Address\": \"http://127.0.0.1:1\", \"OverQueue\": \"lots\"}}";
        Files.writeString(data.resolve("backends.json"), "{\"schema_version\": 1, \"next_id\": 1, \"backends\": ["
                + unbindable + "]}");
        try (TestServer server = TestServer.start(data)) {
            SwarmApiClient api = server.client();
            assertThat(api.call("ListBackends", "{\"nonreal\":true}").keySet()).isEmpty();
            assertThat(api.call("ListPlugins").getAsJsonArray("unloaded_backends")).isEqualTo(JsonParser.parseString(
                    "[{\"id\":0,\"type\":\"comfyui_api\",\"title\":\"old box\",\"reason\":\"Its stored settings are"
                    + " invalid: Invalid value \\\"lots\\\" for setting 'OverQueue': expected a whole number.\"}]"));
            assertThat(api.call("EditBackend", "{\"backend_id\":0,\"title\":\"x\",\"settings\":{}}").get("error")
                    .getAsString()).isEqualTo("Invalid backend ID 0");
            assertThat(api.call("ToggleBackend", "{\"backend_id\":0,\"enabled\":false}").get("error").getAsString())
                    .isEqualTo("Invalid backend ID 0");
            // Other changes rewrite the file with the entry as it was.
            assertThat(api.call("AddNewBackend", "{\"type_id\":\"comfyui_api\"}").get("id").getAsInt()).isEqualTo(1);
            assertThat(storedEntry(0)).isEqualTo(JsonParser.parseString(unbindable));
        }
        try (TestServer server = TestServer.start(data)) {
            SwarmApiClient api = server.client();
            assertThat(api.call("ListBackends").keySet()).containsExactly("1");
            assertThat(api.call("ListPlugins").getAsJsonArray("unloaded_backends")).hasSize(1);
            assertThat(api.call("DeleteBackend", "{\"backend_id\":0}").get("result").getAsString()).isEqualTo("Deleted.");
            assertThat(api.call("ListPlugins").getAsJsonArray("unloaded_backends")).isEmpty();
        }
        assertThat(storedIds()).containsExactly(1);
        try (TestServer server = TestServer.start(data)) {
            SwarmApiClient api = server.client();
            assertThat(api.call("ListPlugins").getAsJsonArray("unloaded_backends")).isEmpty();
            assertThat(api.call("ListBackends").keySet()).containsExactly("1");
        }
    }

    private List<Integer> storedIds() throws Exception {
        List<Integer> ids = new ArrayList<>();
        for (var entry : JsonParser.parseString(Files.readString(data.resolve("backends.json"))).getAsJsonObject()
                .getAsJsonArray("backends")) {
            ids.add(entry.getAsJsonObject().get("id").getAsInt());
        }
        return ids;
    }

    private JsonObject storedEntry(int id) throws Exception {
        for (var entry : JsonParser.parseString(Files.readString(data.resolve("backends.json"))).getAsJsonObject()
                .getAsJsonArray("backends")) {
            if (entry.getAsJsonObject().get("id").getAsInt() == id) {
                return entry.getAsJsonObject();
            }
        }
        return null;
    }
}
