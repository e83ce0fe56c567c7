package dev.switchboard.server.http;

import com.google.gson.JsonElement;
import com.google.gson.JsonPrimitive;

/**
 * The text form SwarmUI takes of a JSON value before converting it to a parameter type, and quotes in its
 * error messages: a string's content, an integer's digits, a double's shortest .NET text, {@code True} or
 * {@code False}, the empty string for {@code null}, indented JSON for objects and arrays.
 */
public final class TokenText {

    private TokenText() {
    }

    /** @return the text form of {@code element}; empty for null */
    public static String of(JsonElement element) {
        if (element == null || element.isJsonNull()) {
            return "";
        }
        if (!element.isJsonPrimitive()) {
            return IndentedJsonText.of(element);
        }
        JsonPrimitive primitive = element.getAsJsonPrimitive();
        if (primitive.isBoolean()) {
            return primitive.getAsBoolean() ? "True" : "False";
        }
        if (primitive.isNumber()) {
            return JsonNumberText.plain(primitive.getAsNumber());
        }
        return primitive.getAsString();
    }
}
