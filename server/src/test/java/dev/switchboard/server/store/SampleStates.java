package dev.switchboard.server.store;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** States and files the store tests share. */
final class SampleStates {

    /** A file as an operator or a newer server might have written it: unknown fields, an unknown type. */
    static final String HAND_WRITTEN_FILE = """
            {
              "schema_version": 1,
              "next_id": 9,
              "backends": [
                { "id": 0, "type": "comfyui_api", "title": "GPU box", "enabled": false,
                  "settings": { "Address": "http://127.0.0.1:8188", "AllowIdle": false, "OverQueue": 1,
                                "EnableFrontendDev": false } },
                { "type": "some_future_type", "id": 7, "priority": 3.50, "tags": ["a", null, {"x": []}],
                  "settings": { "Nested": { "deep": [1, 2e3, -0.5] }, "Secret": "s3cr\\u00e9t" } },
                { "id": 4, "type": "swarmswarmbackend" }
              ],
              "added_by_a_newer_version": { "note": "keep me", "n": null },
              "another": [true, false]
            }
            """;

    private SampleStates() {
    }

    static byte[] handWrittenBytes() {
        return HAND_WRITTEN_FILE.getBytes(StandardCharsets.UTF_8);
    }

    static JsonObject comfySettings(String address) {
        JsonObject settings = new JsonObject();
        settings.addProperty("Address", address);
        settings.addProperty("AllowIdle", false);
        settings.addProperty("OverQueue", 1);
        settings.addProperty("EnableFrontendDev", false);
        return settings;
    }

    /** A state that differs for every {@code version}, with an unknown entry field and top-level field. */
    static StoredState version(int version) {
        JsonObject unknownEntry = StoredBackend.of(1, "future_type", "future", true, new JsonObject()).toJson();
        unknownEntry.addProperty("extra", "kept " + version);
        JsonObject unknownTopLevel = new JsonObject();
        JsonArray history = new JsonArray();
        history.add(version);
        unknownTopLevel.add("history", history);
        try {
            return new StoredState(version + 2, List.of(
                    StoredBackend.of(0, "comfyui_api", "version " + version, version % 2 == 0,
                            comfySettings("http://127.0.0.1:" + (8000 + version))),
                    StoredBackend.fromJson(unknownEntry)), unknownTopLevel);
        } catch (StoreFormatException e) {
            throw new AssertionError(e);
        }
    }

    static StoredState decode(byte[] bytes) throws StoreFormatException {
        return new BackendsFileCodec().decode(bytes);
    }

    static JsonObject parse(String json) {
        return JsonParser.parseString(json).getAsJsonObject();
    }
}
