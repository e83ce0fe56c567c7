package dev.switchboard.server.store;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.switchboard.api.settings.Settings;
import dev.switchboard.api.settings.SettingsSchema;
import dev.switchboard.server.settings.InvalidSettingException;
import dev.switchboard.server.settings.SettingsJson;
import java.util.Map;
import java.util.Objects;

/**
 * One backend entry as stored. Keeps the entry's JSON verbatim so unknown fields, and entries of a type no
 * loaded plugin knows, round-trip unchanged. Immutable: every accessor hands out copies.
 */
public final class StoredBackend {
    private static final String ID = "id";
    private static final String TYPE = "type";
    private static final String TITLE = "title";
    private static final String ENABLED = "enabled";
    private static final String SETTINGS = "settings";

    private final JsonObject entry;
    private final int id;
    private final String type;
    private final String title;
    private final boolean enabled;

    private StoredBackend(JsonObject entry, int id, String type, String title, boolean enabled) {
        this.entry = entry;
        this.id = id;
        this.type = type;
        this.title = title;
        this.enabled = enabled;
    }

    /**
     * Creates an entry with exactly the five known fields.
     *
     * @param id the backend id, 0 or more
     * @param type the backend type id, not empty
     * @param title the title, never null (may be empty)
     * @param enabled whether the backend is enabled
     * @param settings the settings object, copied
     * @return the entry
     */
    public static StoredBackend of(int id, String type, String title, boolean enabled, JsonObject settings) {
        requireNonNull(type, "type is null");
        if (type.isEmpty()) {
            throw new IllegalArgumentException("type is empty");
        }
        JsonObject entry = new JsonObject();
        entry.addProperty(ID, id);
        entry.addProperty(TYPE, type);
        entry.addProperty(TITLE, "");
        entry.addProperty(ENABLED, true);
        entry.add(SETTINGS, new JsonObject());
        return withKnownFields(entry, id, type, title, enabled, settings);
    }

    /**
     * Reads and checks one entry of the file. The entry is copied.
     *
     * @throws StoreFormatException when a known field is missing or of the wrong kind
     */
    static StoredBackend fromJson(JsonObject entry) throws StoreFormatException {
        requireNonNull(entry, "entry is null");
        int id = JsonFields.intValue(entry.get(ID), "'id'");
        if (id < 0) {
            throw new StoreFormatException("'id' must be 0 or more, but is " + id);
        }
        String type = JsonFields.stringValue(entry.get(TYPE), "'type'");
        if (type.isEmpty()) {
            throw new StoreFormatException("'type' must not be empty");
        }
        String title = entry.has(TITLE) ? JsonFields.stringValue(entry.get(TITLE), "'title'") : "";
        boolean enabled = !entry.has(ENABLED) || JsonFields.booleanValue(entry.get(ENABLED), "'enabled'");
        if (entry.has(SETTINGS) && !entry.get(SETTINGS).isJsonObject()) {
            throw new StoreFormatException("'settings' must be an object, but is "
                    + JsonFields.describe(entry.get(SETTINGS)));
        }
        return new StoredBackend(entry.deepCopy(), id, type, title, enabled);
    }

    public int id() {
        return id;
    }

    public String type() {
        return type;
    }

    /** @return the title; empty when the entry has none */
    public String title() {
        return title;
    }

    /** @return whether the backend is enabled; true when the entry does not say */
    public boolean enabled() {
        return enabled;
    }

    /** @return a copy of the settings object; empty when the entry has none */
    public JsonObject settings() {
        JsonElement settings = entry.get(SETTINGS);
        return settings == null ? new JsonObject() : settings.getAsJsonObject().deepCopy();
    }

    /**
     * Reads the stored settings against a schema: absent settings take their defaults, keys the schema does not
     * declare are left in the file.
     *
     * @throws StoreFormatException when a stored value does not fit its setting; the message names it
     */
    public Settings bindSettings(SettingsSchema schema) throws StoreFormatException {
        try {
            return SettingsJson.fromStored(schema, settings());
        } catch (InvalidSettingException e) {
            throw new StoreFormatException(e.getMessage());
        }
    }

    /**
     * {@code known} followed by the stored setting keys it lacks (keys of settings a type no longer declares),
     * so those survive a rewrite unchanged.
     */
    JsonObject mergedSettings(JsonObject known) {
        JsonObject merged = known.deepCopy();
        for (Map.Entry<String, JsonElement> stored : settings().entrySet()) {
            if (!merged.has(stored.getKey())) {
                merged.add(stored.getKey(), stored.getValue());
            }
        }
        return merged;
    }

    /** @return a copy of the whole entry, unknown fields included */
    public JsonObject toJson() {
        return entry.deepCopy();
    }

    /**
     * Returns this entry with new values for the fields the server edits. The type and any unknown fields
     * stay as they are, in their original order.
     */
    public StoredBackend withFields(int id, String title, boolean enabled, JsonObject settings) {
        return withKnownFields(entry.deepCopy(), id, type, title, enabled, settings);
    }

    private static StoredBackend withKnownFields(JsonObject entry, int id, String type, String title,
            boolean enabled, JsonObject settings) {
        requireNonNull(title, "title is null");
        requireNonNull(settings, "settings is null");
        if (id < 0) {
            throw new IllegalArgumentException("id must be 0 or more, but is " + id);
        }
        // JsonObject.add on an existing key replaces the value in place, so the entry keeps its key order.
        entry.addProperty(ID, id);
        entry.addProperty(TITLE, title);
        entry.addProperty(ENABLED, enabled);
        entry.add(SETTINGS, settings.deepCopy());
        return new StoredBackend(entry, id, type, title, enabled);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StoredBackend that && entry.equals(that.entry);
    }

    /**
     * Hashes only the known fields: Gson may consider two numbers equal whose representations hash
     * differently, so hashing the whole JSON could break the equals/hashCode contract.
     */
    @Override
    public int hashCode() {
        return Objects.hash(id, type, title, enabled);
    }

    /** Leaves the settings out: they can hold secrets. */
    @Override
    public String toString() {
        return "StoredBackend[id=" + id + ", type=" + type + ", title=" + title + ", enabled=" + enabled + "]";
    }
}
