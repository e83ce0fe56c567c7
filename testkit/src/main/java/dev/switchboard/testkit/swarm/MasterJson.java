package dev.switchboard.testkit.swarm;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.util.ArrayList;
import java.util.List;

/**
 * The checks a SwarmUI master's reading amounts to (generation.md 1.1-1.2): a body parses as a JSON object whatever
 * the status, and each field it reads converts to its type. Each failure is a {@link MasterRejection} naming the
 * call and the field.
 */
final class MasterJson {
    private MasterJson() {
    }

    /** The master parses every body as a JSON object and never looks at the status code. */
    static JsonObject object(String call, String body) {
        try {
            JsonElement parsed = JsonParser.parseString(body);
            if (parsed != null && parsed.isJsonObject()) {
                return parsed.getAsJsonObject();
            }
        } catch (RuntimeException e) {
            // Rejected below.
        }
        throw new MasterRejection(call + ": the body is not a JSON object, which a master fails to parse (\"Failed"
                + " to parse JSON\"): " + start(body));
    }

    static String string(String call, JsonObject object, String field) {
        JsonElement value = object.get(field);
        if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
            throw missing(call, field, "a string", value);
        }
        return value.getAsString();
    }

    /** A field that may be a string, JSON null or absent. */
    static String optionalString(String call, JsonObject object, String field) {
        JsonElement value = object.get(field);
        if (value == null || value.isJsonNull()) {
            return null;
        }
        if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
            throw missing(call, field, "a string or null", value);
        }
        return value.getAsString();
    }

    static int integer(String call, JsonObject object, String field) {
        JsonElement value = object.get(field);
        if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber()) {
            throw missing(call, field, "an integer", value);
        }
        double number = value.getAsDouble();
        if (number != Math.rint(number) || Math.abs(number) > Integer.MAX_VALUE) {
            throw missing(call, field, "an integer", value);
        }
        return (int) number;
    }

    static boolean bool(String call, JsonObject object, String field) {
        JsonElement value = object.get(field);
        if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isBoolean()) {
            throw missing(call, field, "a boolean", value);
        }
        return value.getAsBoolean();
    }

    /** A field that may be a boolean, JSON null or absent (the master tolerates both). */
    static void optionalBool(String call, JsonObject object, String field) {
        JsonElement value = object.get(field);
        if (value != null && !value.isJsonNull() && !(value.isJsonPrimitive()
                && value.getAsJsonPrimitive().isBoolean())) {
            throw missing(call, field, "a boolean or null", value);
        }
    }

    static List<String> strings(String call, JsonObject object, String field) {
        JsonElement value = object.get(field);
        if (value == null || !value.isJsonArray()) {
            throw missing(call, field, "an array of strings", value);
        }
        List<String> items = new ArrayList<>();
        for (JsonElement item : value.getAsJsonArray()) {
            if (!item.isJsonPrimitive() || !((JsonPrimitive) item).isString()) {
                throw missing(call, field, "an array of strings", value);
            }
            items.add(item.getAsString());
        }
        return items;
    }

    static JsonObject objectField(String call, JsonObject object, String field) {
        JsonElement value = object.get(field);
        if (value == null || !value.isJsonObject()) {
            throw missing(call, field, "an object", value);
        }
        return value.getAsJsonObject();
    }

    /** The master's error check: {@code invalid_session_id} renews, any other {@code error} fails the call. */
    static boolean invalidSession(JsonObject answer) {
        JsonElement id = answer.get("error_id");
        return id != null && id.isJsonPrimitive() && "invalid_session_id".equals(id.getAsString());
    }

    /** @return the error text a master shows ({@code Remote swarm gave error: ...}), or null when none */
    static String error(JsonObject answer) {
        JsonElement error = answer.get("error");
        if (error == null) {
            return null;
        }
        return "Remote swarm gave error: " + (error.isJsonPrimitive() ? error.getAsString() : error.toString());
    }

    static String start(String text) {
        String shown = text == null ? "(nothing)" : text.length() > 256 ? text.substring(0, 256) + "..." : text;
        return shown.isEmpty() ? "(an empty body)" : shown;
    }

    private static MasterRejection missing(String call, String field, String type, JsonElement value) {
        return new MasterRejection(call + ": '" + field + "' must be " + type + " (a master converts it without a"
                + " null check), but it is " + (value == null ? "missing" : value.toString()));
    }
}
