package dev.switchboard.testkit.comfyui;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.LinkedHashMap;
import java.util.Map;

/** The prompt history the stand-in serves on {@code /history}, keyed by prompt id. Thread-safe. */
final class HistoryStore {
    private final Map<String, JsonObject> entries = new LinkedHashMap<>();

    synchronized void put(String promptId, String entryJson) {
        requireNonNull(promptId, "promptId is null");
        JsonElement entry = JsonParser.parseString(requireNonNull(entryJson, "entryJson is null"));
        if (!entry.isJsonObject()) {
            throw new IllegalArgumentException("a history entry is a JSON object, got: " + entryJson);
        }
        entries.put(promptId, entry.getAsJsonObject());
    }

    synchronized String allAsJson() {
        JsonObject answer = new JsonObject();
        entries.forEach((id, entry) -> answer.add(id, entry.deepCopy()));
        return answer.toString();
    }

    synchronized String oneAsJson(String promptId) {
        JsonObject answer = new JsonObject();
        JsonObject entry = entries.get(promptId);
        if (entry != null) {
            answer.add(promptId, entry.deepCopy());
        }
        return answer.toString();
    }

    /** Applies a {@code POST /history} body: {@code {"clear": true}} and/or {@code {"delete": [ids]}}. */
    synchronized void apply(JsonObject command) {
        JsonElement clear = command.get("clear");
        if (clear != null && clear.isJsonPrimitive() && clear.getAsJsonPrimitive().isBoolean()
                && clear.getAsBoolean()) {
            entries.clear();
        }
        JsonElement delete = command.get("delete");
        if (delete != null && delete.isJsonArray()) {
            for (JsonElement id : delete.getAsJsonArray()) {
                if (id.isJsonPrimitive()) {
                    entries.remove(id.getAsString());
                }
            }
        }
    }
}
