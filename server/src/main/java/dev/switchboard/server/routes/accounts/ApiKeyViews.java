package dev.switchboard.server.routes.accounts;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.switchboard.server.accounts.ApiKey;
import java.time.Instant;
import java.util.Optional;

/** The JSON form of an API key in lists: never the key's text or its hash. */
final class ApiKeyViews {
    private ApiKeyViews() {
    }

    static JsonObject listed(ApiKey key) {
        JsonObject json = new JsonObject();
        json.addProperty("id", key.id());
        json.addProperty("user", key.user());
        json.addProperty("label", key.label());
        json.addProperty("created", key.created().toString());
        json.add("expires", instant(key.expires()));
        return json;
    }

    /** @return the time as ISO-8601 text, or JSON null */
    static JsonElement instant(Optional<Instant> time) {
        return time.<JsonElement>map(value -> new JsonPrimitive(value.toString())).orElse(JsonNull.INSTANCE);
    }
}
