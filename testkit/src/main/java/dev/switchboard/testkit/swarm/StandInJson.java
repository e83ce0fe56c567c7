package dev.switchboard.testkit.swarm;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** The small JSON answers and readings {@link SwarmRemoteStandIn} and its generations share. */
final class StandInJson {
    private StandInJson() {
    }

    static JsonObject freeMemory() {
        JsonObject answer = new JsonObject();
        answer.addProperty("result", true);
        answer.addProperty("count", 1);
        return answer;
    }

    static JsonObject success() {
        JsonObject answer = new JsonObject();
        answer.addProperty("success", true);
        return answer;
    }

    static JsonObject invalidSession() {
        JsonObject answer = new JsonObject();
        answer.addProperty("error", "Invalid session ID. You may need to refresh the page.");
        answer.addProperty("error_id", "invalid_session_id");
        return answer;
    }

    static JsonObject error(String message) {
        JsonObject answer = new JsonObject();
        answer.addProperty("error", message);
        return answer;
    }

    static String text(JsonElement element) {
        return element != null && element.isJsonPrimitive() ? element.getAsString() : "";
    }

    static Integer integer(JsonElement element) {
        try {
            return Integer.parseInt(text(element).trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static JsonObject parse(String text) {
        try {
            JsonElement json = JsonParser.parseString(text);
            return json.isJsonObject() ? json.getAsJsonObject() : new JsonObject();
        } catch (RuntimeException e) {
            return new JsonObject();
        }
    }
}
