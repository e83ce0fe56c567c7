package dev.switchboard.server.store;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads and writes the {@code backends.json} document (schema version 1). Thread-safe. */
final class BackendsFileCodec implements FileCodec<StoredState> {
    static final int SCHEMA_VERSION = 1;

    private static final String SCHEMA_VERSION_KEY = "schema_version";
    private static final String NEXT_ID_KEY = "next_id";
    private static final String BACKENDS_KEY = "backends";

    @Override
    public String what() {
        return "backends";
    }

    @Override
    public StoredState decode(byte[] bytes) throws StoreFormatException {
        JsonElement rootElement = StrictJsonParser.parse(bytes);
        if (!rootElement.isJsonObject()) {
            throw new StoreFormatException("the top level must be a JSON object, but is "
                    + JsonFields.describe(rootElement));
        }
        JsonObject root = rootElement.getAsJsonObject();
        checkSchemaVersion(root.get(SCHEMA_VERSION_KEY));
        int nextId = JsonFields.intValue(root.get(NEXT_ID_KEY), "'" + NEXT_ID_KEY + "'");
        if (nextId < 0) {
            throw new StoreFormatException("'" + NEXT_ID_KEY + "' must be 0 or more, but is " + nextId);
        }
        List<StoredBackend> backends = decodeBackends(root.get(BACKENDS_KEY));
        JsonObject unknownFields = new JsonObject();
        for (Map.Entry<String, JsonElement> field : root.entrySet()) {
            if (!isKnownTopLevelKey(field.getKey())) {
                unknownFields.add(field.getKey(), field.getValue());
            }
        }
        return new StoredState(nextId, backends, unknownFields);
    }

    @Override
    public byte[] encode(StoredState state) throws StoreException {
        JsonObject root = new JsonObject();
        root.addProperty(SCHEMA_VERSION_KEY, SCHEMA_VERSION);
        root.addProperty(NEXT_ID_KEY, state.nextId());
        JsonArray backends = new JsonArray();
        for (StoredBackend backend : state.backends()) {
            backends.add(backend.toJson());
        }
        root.add(BACKENDS_KEY, backends);
        for (Map.Entry<String, JsonElement> field : state.unknownFields().entrySet()) {
            root.add(field.getKey(), field.getValue());
        }
        return StrictJsonWriter.toBytes(root, "backends");
    }

    private static void checkSchemaVersion(JsonElement value) throws StoreFormatException {
        int version = JsonFields.intValue(value, "'" + SCHEMA_VERSION_KEY + "'");
        if (version > SCHEMA_VERSION) {
            throw new StoreFormatException("it was written by a newer Switchboard (schema_version " + version
                    + "; this version reads schema_version " + SCHEMA_VERSION + ")");
        }
        if (version < SCHEMA_VERSION) {
            throw new StoreFormatException("schema_version " + version + " is unknown (this version reads "
                    + "schema_version " + SCHEMA_VERSION + ")");
        }
    }

    private static List<StoredBackend> decodeBackends(JsonElement value) throws StoreFormatException {
        if (value == null || !value.isJsonArray()) {
            throw new StoreFormatException("'" + BACKENDS_KEY + "' must be an array, but is "
                    + JsonFields.describe(value));
        }
        JsonArray array = value.getAsJsonArray();
        List<StoredBackend> backends = new ArrayList<>(array.size());
        Map<Integer, Integer> indexById = new HashMap<>();
        for (int index = 0; index < array.size(); index++) {
            String where = BACKENDS_KEY + "[" + index + "]";
            JsonElement element = array.get(index);
            if (!element.isJsonObject()) {
                throw new StoreFormatException(where + " must be an object, but is " + JsonFields.describe(element));
            }
            StoredBackend backend;
            try {
                backend = StoredBackend.fromJson(element.getAsJsonObject());
            } catch (StoreFormatException e) {
                throw new StoreFormatException(where + ": " + e.getMessage());
            }
            Integer earlier = indexById.putIfAbsent(backend.id(), index);
            if (earlier != null) {
                throw new StoreFormatException(where + ": id " + backend.id() + " is already used by "
                        + BACKENDS_KEY + "[" + earlier + "]");
            }
            backends.add(backend);
        }
        return backends;
    }

    private static boolean isKnownTopLevelKey(String key) {
        return key.equals(SCHEMA_VERSION_KEY) || key.equals(NEXT_ID_KEY) || key.equals(BACKENDS_KEY);
    }
}
