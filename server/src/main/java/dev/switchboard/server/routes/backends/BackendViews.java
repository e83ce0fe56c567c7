package dev.switchboard.server.routes.backends;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import dev.switchboard.api.settings.SettingDefinition;
import dev.switchboard.api.settings.SettingType;
import dev.switchboard.server.backends.BackendSnapshot;
import dev.switchboard.server.http.ApiField;
import dev.switchboard.server.http.JsonType;
import dev.switchboard.server.plugins.RegisteredBackendType;
import dev.switchboard.server.settings.SettingsJson;

/** The wire forms of backends and backend types, with SwarmUI's keys in SwarmUI's order. */
final class BackendViews {
    /** The fields of a backend view, for the route docs. */
    static final ApiField[] FIELDS = {
        ApiField.of("type", JsonType.STRING, "The backend type's id."),
        ApiField.of("status", JsonType.STRING, "disabled, errored, waiting, loading, idle or running."),
        ApiField.of("id", JsonType.INTEGER, "The backend's id (negative for non-real children)."),
        ApiField.of("settings", JsonType.OBJECT, "The settings by name; secrets are masked."),
        ApiField.of("modcount", JsonType.INTEGER, "Counts the changes of the backend's settings."),
        ApiField.of("features", JsonType.ARRAY, "The features the backend advertises."),
        ApiField.of("enabled", JsonType.BOOLEAN, "Whether the backend is switched on."),
        ApiField.of("title", JsonType.STRING, "The backend's title."),
        ApiField.of("max_usages", JsonType.INTEGER, "How many jobs it runs at once."),
        ApiField.of("seconds_since_used", JsonType.INTEGER, "Seconds since its last job (0 when never used)."),
        ApiField.of("time_since_used", JsonType.STRING, "The same, in words."),
        ApiField.of("can_load_models", JsonType.BOOLEAN, "Whether it can load models (false unless it makes images)."),
        ApiField.of("status_message", JsonType.STRING, "Why it is errored, idle or disabled, or what loading does."),
        ApiField.of("parent_id", JsonType.INTEGER, "The parent's id; only on non-real children."),
    };

    private BackendViews() {
    }

    /**
     * A backend view (backend-api-semantics.md 2.0) plus {@code status_message}, and {@code parent_id} for
     * non-real children.
     */
    static JsonObject backend(BackendSnapshot backend, boolean fullData) {
        JsonObject json = head(backend);
        json.addProperty("seconds_since_used", secondsSinceUsed(backend));
        json.addProperty("time_since_used", TimeSinceUsed.describe(backend.usedAgoMillis()));
        tail(backend, fullData).entrySet().forEach(entry -> json.add(entry.getKey(), entry.getValue()));
        return json;
    }

    /** The keys of a backend view before the time since use ({@code type} to {@code max_usages}). */
    static JsonObject head(BackendSnapshot backend) {
        JsonObject json = new JsonObject();
        json.addProperty("type", backend.typeId());
        json.addProperty("status", backend.status().wireName());
        json.addProperty("id", backend.id());
        json.add("settings", SettingsJson.toView(backend.settings()));
        json.addProperty("modcount", backend.modcount());
        JsonArray features = new JsonArray();
        backend.features().forEach(features::add);
        json.add("features", features);
        json.addProperty("enabled", backend.enabled());
        json.addProperty("title", backend.title());
        json.addProperty("max_usages", backend.maxUsages());
        return json;
    }

    static long secondsSinceUsed(BackendSnapshot backend) {
        return backend.usedAgoMillis() < 0 ? 0 : backend.usedAgoMillis() / 1000;
    }

    /** The keys of a backend view after the time since use ({@code can_load_models} on); never empty. */
    static JsonObject tail(BackendSnapshot backend, boolean fullData) {
        JsonObject json = new JsonObject();
        // Every entry carries can_load_models (false for types that make no images): a SwarmUI master reads it
        // from every running entry and fails its whole re-sync when it is missing (generation.md 1.2).
        json.addProperty("can_load_models", backend.imageBackend() && backend.canLoadModels());
        if (backend.imageBackend()) {
            if (fullData) {
                json.add("current_model", backend.currentModel() == null ? JsonNull.INSTANCE
                        : new com.google.gson.JsonPrimitive(backend.currentModel()));
                // Switchboard's own: the jobs running on it now, out of max_usages.
                json.addProperty("usages", backend.usages());
            }
        }
        json.addProperty("status_message", backend.statusMessage());
        backend.parentId().ifPresent(parent -> json.addProperty("parent_id", parent));
        return json;
    }

    /** A backend type entry of ListBackendTypes (section 2.1, CUR keys). */
    static JsonObject type(RegisteredBackendType type) {
        JsonObject json = new JsonObject();
        json.addProperty("id", type.id());
        json.addProperty("name", type.displayName());
        json.addProperty("description", type.description());
        JsonArray settings = new JsonArray();
        for (SettingDefinition definition : type.schema().definitions()) {
            settings.add(setting(definition));
        }
        json.add("settings", settings);
        json.addProperty("is_standard", type.standard());
        return json;
    }

    private static JsonObject setting(SettingDefinition definition) {
        JsonObject json = new JsonObject();
        json.addProperty("name", definition.name());
        json.addProperty("type", definition.type().wireName());
        json.addProperty("description", definition.description());
        json.addProperty("placeholder", definition.placeholder());
        json.addProperty("is_secret", definition.isSecret());
        if (definition.type() == SettingType.DROPDOWN) {
            JsonArray values = new JsonArray();
            definition.values().forEach(values::add);
            JsonArray names = new JsonArray();
            definition.valueNames().forEach(names::add);
            json.add("values", values);
            json.add("value_names", names);
        } else {
            json.add("values", JsonNull.INSTANCE);
            json.add("value_names", JsonNull.INSTANCE);
        }
        if (definition.isHeaderList()) {
            // Switchboard's own key, only on such settings: views mask each header's value (see SettingsJson).
            json.addProperty("is_header_list", true);
        }
        return json;
    }
}
