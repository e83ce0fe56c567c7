package dev.switchboard.server.store;

import com.google.gson.JsonElement;
import com.google.gson.JsonPrimitive;

/** Reads typed values out of parsed JSON, refusing anything that is not exactly the expected kind. */
public final class JsonFields {

    private JsonFields() {
    }

    /** Accepts only a plain JSON integer literal that fits an int: {@code 3} yes; {@code 3.0}, {@code "3"} no. */
    public static int intValue(JsonElement value, String what) throws StoreFormatException {
        if (value instanceof JsonPrimitive primitive && primitive.isNumber()) {
            try {
                return Integer.parseInt(primitive.getAsString());
            } catch (NumberFormatException e) {
                throw new StoreFormatException(what + " must be a whole number that fits 32 bits, but is "
                        + abbreviate(primitive.getAsString()));
            }
        }
        throw new StoreFormatException(what + " must be a whole number, but is " + describe(value));
    }

    /** Accepts only a JSON string. */
    public static String stringValue(JsonElement value, String what) throws StoreFormatException {
        if (value instanceof JsonPrimitive primitive && primitive.isString()) {
            return primitive.getAsString();
        }
        throw new StoreFormatException(what + " must be a string, but is " + describe(value));
    }

    /** Accepts only {@code true} or {@code false}. */
    public static boolean booleanValue(JsonElement value, String what) throws StoreFormatException {
        if (value instanceof JsonPrimitive primitive && primitive.isBoolean()) {
            return primitive.getAsBoolean();
        }
        throw new StoreFormatException(what + " must be true or false, but is " + describe(value));
    }

    /** @return what a value is, for messages: {@code missing}, {@code null}, {@code a string}, ... */
    public static String describe(JsonElement value) {
        if (value == null) {
            return "missing";
        }
        if (value.isJsonNull()) {
            return "null";
        }
        if (value.isJsonObject()) {
            return "an object";
        }
        if (value.isJsonArray()) {
            return "an array";
        }
        JsonPrimitive primitive = value.getAsJsonPrimitive();
        if (primitive.isString()) {
            return "a string";
        }
        if (primitive.isBoolean()) {
            return "a boolean";
        }
        return "the number " + abbreviate(primitive.getAsString());
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
