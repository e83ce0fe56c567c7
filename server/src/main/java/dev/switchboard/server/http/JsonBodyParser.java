package dev.switchboard.server.http;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads a request body as exactly one JSON object: strict UTF-8, strict JSON (no comments, single quotes,
 * unquoted names or NaN), nothing but white space after it. Duplicate keys: the last one wins.
 */
final class JsonBodyParser {

    private JsonBodyParser() {
    }

    static JsonObject parse(byte[] body) throws MalformedBodyException {
        String text = decodeUtf8(body);
        try {
            JsonReader reader = new JsonReader(new StringReader(text));
            reader.setStrictness(Strictness.STRICT);
            JsonElement root = JsonParser.parseReader(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new MalformedBodyException("content after the JSON value");
            }
            if (!root.isJsonObject()) {
                throw new MalformedBodyException("the JSON value is not an object");
            }
            return root.getAsJsonObject();
        } catch (JsonParseException | IOException | IllegalStateException e) {
            throw new MalformedBodyException("invalid JSON: " + e.getMessage(), e);
        }
    }

    private static String decodeUtf8(byte[] body) throws MalformedBodyException {
        if (isAscii(body)) {
            // Most bodies are plain ASCII, whose UTF-8 decoding is the bytes themselves: no decoder needed.
            return new String(body, StandardCharsets.US_ASCII);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MalformedBodyException("the body is not valid UTF-8", e);
        }
    }

    private static boolean isAscii(byte[] body) {
        for (byte b : body) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }
}
