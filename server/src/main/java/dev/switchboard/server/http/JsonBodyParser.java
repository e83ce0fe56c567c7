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
        JsonObject flat = parseFlatObject(body);
        return flat != null ? flat : parseWithGson(body);
    }

    /** The full reader, for every body; {@link #parse} is the same with a short cut for the common form. */
    static JsonObject parseWithGson(byte[] body) throws MalformedBodyException {
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

    /**
     * Reads the body most calls send, an object whose values are all plain strings ({@code {}},
     * {@code {"session_id":"..."}}), straight from the bytes: Gson's reader allocates a 2 KiB buffer and its
     * stacks for every body, which was a third of what a cheap request allocated. Only text that is certainly
     * valid JSON is read here (printable ASCII in strings, no escapes, JSON white space); anything else returns
     * null and goes through Gson, so what is accepted, refused and returned stays Gson's.
     *
     * @return the object, or null when the body is not of that simple form
     */
    static JsonObject parseFlatObject(byte[] body) {
        int at = skipWhiteSpace(body, 0);
        if (at == body.length || body[at] != '{') {
            return null;
        }
        JsonObject object = new JsonObject();
        at = skipWhiteSpace(body, at + 1);
        if (at < body.length && body[at] == '}') {
            return skipWhiteSpace(body, at + 1) == body.length ? object : null;
        }
        while (true) {
            int keyEnd = plainStringEnd(body, at);
            if (keyEnd < 0) {
                return null;
            }
            String key = new String(body, at + 1, keyEnd - at - 1, StandardCharsets.ISO_8859_1);
            at = skipWhiteSpace(body, keyEnd + 1);
            if (at == body.length || body[at] != ':') {
                return null;
            }
            at = skipWhiteSpace(body, at + 1);
            int valueEnd = plainStringEnd(body, at);
            if (valueEnd < 0) {
                return null;
            }
            object.addProperty(key, new String(body, at + 1, valueEnd - at - 1, StandardCharsets.ISO_8859_1));
            at = skipWhiteSpace(body, valueEnd + 1);
            if (at == body.length) {
                return null;
            }
            if (body[at] == '}') {
                return skipWhiteSpace(body, at + 1) == body.length ? object : null;
            }
            if (body[at] != ',') {
                return null;
            }
            at = skipWhiteSpace(body, at + 1);
        }
    }

    /** The index of the closing quote of a string opening at {@code at} that holds only printable ASCII, or -1. */
    private static int plainStringEnd(byte[] body, int at) {
        if (at == body.length || body[at] != '"') {
            return -1;
        }
        for (int i = at + 1; i < body.length; i++) {
            byte b = body[i];
            if (b == '"') {
                return i;
            }
            // Escapes, control characters and anything beyond ASCII (negative as a byte) are Gson's to read.
            if (b == '\\' || b < 0x20) {
                return -1;
            }
        }
        return -1;
    }

    private static int skipWhiteSpace(byte[] body, int at) {
        while (at < body.length && (body[at] == ' ' || body[at] == '\t' || body[at] == '\n' || body[at] == '\r')) {
            at++;
        }
        return at;
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
