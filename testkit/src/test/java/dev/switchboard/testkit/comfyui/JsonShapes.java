package dev.switchboard.testkit.comfyui;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

/**
 * Compares two JSON documents by shape: the same keys and the same kinds of values, recursively, and arrays of the
 * same length (except tracebacks, whose length depends on where a failure happened).
 */
final class JsonShapes {

    private JsonShapes() {
    }

    static void assertSameShape(JsonElement expected, JsonElement actual) {
        compare(expected, actual, "$");
    }

    private static void compare(JsonElement expected, JsonElement actual, String where) {
        assertThat(kind(actual)).as("kind of %s", where).isEqualTo(kind(expected));
        if (expected.isJsonObject()) {
            JsonObject expectedObject = expected.getAsJsonObject();
            JsonObject actualObject = actual.getAsJsonObject();
            assertThat(actualObject.keySet()).as("keys of %s", where)
                    .containsExactlyInAnyOrderElementsOf(expectedObject.keySet());
            for (String key : expectedObject.keySet()) {
                compare(expectedObject.get(key), actualObject.get(key), where + "." + key);
            }
        } else if (expected.isJsonArray() && where.endsWith(".traceback")) {
            // A traceback's length depends on where the failure happened; only its kind of lines is fixed.
            actual.getAsJsonArray().forEach(line -> assertThat(kind(line)).as("line of %s", where).isEqualTo("string"));
        } else if (expected.isJsonArray()) {
            JsonArray expectedArray = expected.getAsJsonArray();
            JsonArray actualArray = actual.getAsJsonArray();
            assertThat(actualArray.size()).as("length of %s", where).isEqualTo(expectedArray.size());
            for (int i = 0; i < expectedArray.size(); i++) {
                compare(expectedArray.get(i), actualArray.get(i), where + "[" + i + "]");
            }
        }
    }

    private static String kind(JsonElement element) {
        if (element.isJsonNull()) {
            return "null";
        }
        if (element.isJsonObject()) {
            return "object";
        }
        if (element.isJsonArray()) {
            return "array";
        }
        JsonPrimitive primitive = element.getAsJsonPrimitive();
        if (primitive.isBoolean()) {
            return "boolean";
        }
        return primitive.isNumber() ? "number" : "string";
    }
}
