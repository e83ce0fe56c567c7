package dev.switchboard.server.store;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/**
 * Turns file bytes into a JSON tree, accepting only strict UTF-8 and strict JSON: one complete document,
 * no comments, no unquoted names, no duplicate keys. Every refusal says what is wrong and where.
 */
public final class StrictJsonParser {
    private static final int MAX_DETAIL_LENGTH = 300;

    private StrictJsonParser() {
    }

    /**
     * @return the document the bytes hold
     * @throws StoreFormatException saying what is wrong and where, when they are not one strict JSON document
     */
    public static JsonElement parse(byte[] bytes) throws StoreFormatException {
        if (bytes.length == 0) {
            throw new StoreFormatException("the file is empty (0 bytes)");
        }
        if (allZero(bytes)) {
            throw new StoreFormatException("the file holds only zero bytes (" + bytes.length
                    + " of them), as a crash or power loss during a write can leave behind");
        }
        String text = decodeUtf8(bytes);
        JsonElement root = parseDocument(text);
        // Gson's tree keeps the last of duplicate keys silently; a second pass over the (now known valid)
        // text finds them, so a hand-edited file with a repeated key is refused instead of half-read.
        rejectDuplicateKeys(text);
        return root;
    }

    private static boolean allZero(byte[] bytes) {
        for (byte b : bytes) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static String decodeUtf8(byte[] bytes) throws StoreFormatException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        // UTF-8 never decodes to more chars than it has bytes.
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw new StoreFormatException(String.format(
                    "the file is not valid UTF-8: the byte 0x%02X at byte offset %d starts an invalid sequence",
                    bytes[in.position()] & 0xFF, in.position()));
        }
        return out.flip().toString();
    }

    private static JsonElement parseDocument(String text) throws StoreFormatException {
        try {
            JsonReader reader = strictReader(text);
            JsonElement root = JsonParser.parseReader(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new StoreFormatException("the file has more content after its JSON document, at "
                        + reader.getPath());
            }
            return root;
        } catch (JsonParseException e) {
            throw new StoreFormatException("the file is not valid JSON: " + describe(e));
        } catch (IOException e) {
            throw new StoreFormatException("the file is not valid JSON: " + describe(e));
        }
    }

    private static void rejectDuplicateKeys(String text) throws StoreFormatException {
        JsonReader reader = strictReader(text);
        Deque<Set<String>> openObjects = new ArrayDeque<>();
        try {
            while (true) {
                switch (reader.peek()) {
                    case BEGIN_OBJECT -> {
                        reader.beginObject();
                        openObjects.push(new HashSet<>());
                    }
                    case END_OBJECT -> {
                        reader.endObject();
                        openObjects.pop();
                    }
                    case BEGIN_ARRAY -> reader.beginArray();
                    case END_ARRAY -> reader.endArray();
                    case NAME -> {
                        String name = reader.nextName();
                        if (!openObjects.element().add(name)) {
                            throw new StoreFormatException("the key \"" + abbreviate(name)
                                    + "\" appears twice in one object, at " + abbreviate(reader.getPath()));
                        }
                    }
                    case END_DOCUMENT -> {
                        return;
                    }
                    default -> reader.skipValue();
                }
            }
        } catch (IOException e) {
            throw new StoreFormatException("the file is not valid JSON: " + describe(e));
        }
    }

    private static JsonReader strictReader(String text) {
        JsonReader reader = new JsonReader(new StringReader(text));
        reader.setStrictness(Strictness.STRICT);
        return reader;
    }

    /** Gson's messages name the position well but end with advice meant for programmers; keep the position. */
    private static String describe(Exception e) {
        Throwable cause = e.getCause() instanceof IOException io ? io : e;
        String message = String.valueOf(cause.getMessage());
        int newline = message.indexOf('\n');
        if (newline >= 0) {
            message = message.substring(0, newline);
        }
        message = message.replace("Use JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON",
                "malformed JSON");
        return abbreviate(message);
    }

    private static String abbreviate(String text) {
        return text.length() <= MAX_DETAIL_LENGTH ? text : text.substring(0, MAX_DETAIL_LENGTH) + "...";
    }
}
