package dev.switchboard.distribution.durability;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code backends.json} read independently of the server's own parser: strict UTF-8, strict JSON, one
 * entry per id.
 *
 * @param nextId the file's {@code next_id}
 * @param backends the entries by id
 */
record BackendsFileContent(int nextId, Map<Integer, ExpectedBackend> backends) {
    BackendsFileContent {
        backends = Map.copyOf(requireNonNull(backends, "backends is null"));
    }

    /**
     * @throws IOException when the file cannot be read
     * @throws IllegalStateException when it is not strict UTF-8 JSON of the expected shape
     */
    static BackendsFileContent read(Path file) throws IOException {
        JsonObject root = parseStrictly(Files.readAllBytes(file), file);
        if (root.get("schema_version").getAsInt() != 1) {
            throw new IllegalStateException(file + " has schema_version " + root.get("schema_version"));
        }
        Map<Integer, ExpectedBackend> backends = new TreeMap<>();
        for (JsonElement entry : root.getAsJsonArray("backends")) {
            int id = entry.getAsJsonObject().get("id").getAsInt();
            if (backends.put(id, ExpectedBackend.fromFileEntry(entry.getAsJsonObject())) != null) {
                throw new IllegalStateException(file + " holds id " + id + " twice");
            }
        }
        return new BackendsFileContent(root.get("next_id").getAsInt(), backends);
    }

    /** Parses a whole file as one strict JSON object. */
    static JsonObject parseStrictly(byte[] bytes, Path file) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalStateException(file + " is not valid UTF-8", e);
        }
        JsonReader reader = new JsonReader(new StringReader(text));
        reader.setStrictness(Strictness.STRICT);
        JsonElement root = JsonParser.parseReader(reader);
        try {
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new IllegalStateException(file + " has content after its JSON object");
            }
        } catch (IOException e) {
            throw new IllegalStateException(file + " has content after its JSON object", e);
        }
        if (!root.isJsonObject()) {
            throw new IllegalStateException(file + " is not a JSON object");
        }
        return root.getAsJsonObject();
    }
}
