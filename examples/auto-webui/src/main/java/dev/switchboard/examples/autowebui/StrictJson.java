package dev.switchboard.examples.autowebui;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;

// tag::strict-json[]
/**
 * Reads JSON as RFC 8259 writes it. Gson's {@code JsonParser.parseString} is lenient: it takes {@code Unauthorized}
 * or {@code <html>} for a JSON string, so a proxy's error page would pass for an engine's answer; and even a strict
 * reader reads an empty text as JSON null.
 */
final class StrictJson {
    private StrictJson() {
    }

    static JsonElement parse(String text) throws JsonParseException {
        if (text.isBlank()) {
            throw new JsonParseException("an empty text is no JSON value");
        }
        JsonReader reader = new JsonReader(new StringReader(text));
        reader.setStrictness(Strictness.STRICT);
        try {
            JsonElement element = JsonParser.parseReader(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new JsonParseException("more text after the JSON value");
            }
            return element;
        } catch (IOException e) {
            throw new JsonParseException(e);
        }
    }
}
// end::strict-json[]
