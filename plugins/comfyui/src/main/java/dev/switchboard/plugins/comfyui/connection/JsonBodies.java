package dev.switchboard.plugins.comfyui.connection;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import dev.switchboard.plugins.support.UntrustedText;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Reads ComfyUI's answer bodies strictly: one JSON value, nothing after it. */
final class JsonBodies {
    private static final int QUOTED_CHARS = 80;

    private JsonBodies() {
    }

    /**
     * Reads a body that must be a JSON object without an {@code error} member (ComfyUI reports errors that way).
     *
     * @throws ComfyUiException worded for operators, quoting the start of what came instead
     */
    static JsonObject object(String call, byte[] bytes, CallWording wording) throws ComfyUiException {
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            throw wording.badAnswer(call + " with an empty body.");
        }
        JsonElement json;
        try {
            json = strict(text);
        } catch (JsonParseException | IOException e) {
            throw wording.badAnswer(call + " with something that is not JSON: " + UntrustedText.sanitize(text,
                    QUOTED_CHARS));
        }
        if (!json.isJsonObject()) {
            throw wording.badAnswer(call + " with JSON that is not an object: " + UntrustedText.sanitize(text,
                    QUOTED_CHARS));
        }
        JsonObject object = json.getAsJsonObject();
        if (object.has("error")) {
            String error = object.get("error").isJsonPrimitive() ? object.get("error").getAsString()
                    : object.get("error").toString();
            throw wording.reportedError(call, UntrustedText.sanitize(error, 200));
        }
        return object;
    }

    /** @return the body as a JSON object, or empty when it is anything else */
    static Optional<JsonObject> objectOrEmpty(String text) {
        try {
            JsonElement json = strict(text);
            return json.isJsonObject() ? Optional.of(json.getAsJsonObject()) : Optional.empty();
        } catch (JsonParseException | IOException e) {
            return Optional.empty();
        }
    }

    /** @return the start of a body for a message */
    static String quote(String text) {
        return UntrustedText.sanitize(text, QUOTED_CHARS);
    }

    private static JsonElement strict(String text) throws IOException {
        JsonReader reader = new JsonReader(new StringReader(text));
        reader.setStrictness(Strictness.STRICT);
        JsonElement json = JsonParser.parseReader(reader);
        if (reader.peek() != JsonToken.END_DOCUMENT) {
            throw new JsonParseException("trailing data after the JSON value");
        }
        return json;
    }
}
