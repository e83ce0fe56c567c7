package dev.switchboard.server.store;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.Strictness;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Writes a JSON tree as a document file's bytes: pretty-printed for an operator's eyes, ending in a newline,
 * strict UTF-8 ({@link StrictJsonParser} reads it back).
 */
public final class StrictJsonWriter {
    // Nulls are written so that unknown fields holding null round-trip; HTML escaping would only make
    // the file harder to read for an operator.
    private static final Gson GSON = new GsonBuilder()
            .setPrettyPrinting()
            .serializeNulls()
            .disableHtmlEscaping()
            .setStrictness(Strictness.STRICT)
            .create();

    private StrictJsonWriter() {
    }

    /**
     * @param root the document
     * @param what what it holds, for messages, e.g. {@code backends}
     * @return its UTF-8 bytes
     * @throws StoreException when it cannot be written, e.g. a text value holds an unpaired surrogate character
     *     (which a lenient encoder would silently write as {@code ?})
     */
    public static byte[] toBytes(JsonElement root, String what) throws StoreException {
        String text;
        try {
            text = GSON.toJson(root) + "\n";
        } catch (JsonParseException | IllegalArgumentException e) {
            throw new StoreException("The " + what + " could not be written as JSON: " + e.getMessage(), e);
        }
        try {
            ByteBuffer bytes = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(text));
            byte[] result = new byte[bytes.remaining()];
            bytes.get(result);
            return result;
        } catch (CharacterCodingException e) {
            throw new StoreException("The " + what + " could not be written as UTF-8: a text value holds an "
                    + "unpaired surrogate character", e);
        }
    }
}
