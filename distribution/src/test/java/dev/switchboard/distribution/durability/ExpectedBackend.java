package dev.switchboard.distribution.durability;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Map;
import java.util.Set;

/**
 * What one backend's stored configuration must be: its type, title, enabled flag and every setting with its
 * plain value (secrets included). Immutable: the settings object is copied in and out.
 */
record ExpectedBackend(String type, String title, boolean enabled, JsonObject settings) {
    /** What SwarmUI (and Switchboard) shows instead of a secret, and what a client sends back to keep it. */
    static final String SECRET_PLACEHOLDER = "\t<secret>";

    ExpectedBackend {
        requireNonNull(type, "type is null");
        requireNonNull(title, "title is null");
        settings = requireNonNull(settings, "settings is null").deepCopy();
    }

    @Override
    public JsonObject settings() {
        return settings.deepCopy();
    }

    /** Reads an entry of {@code backends.json}. */
    static ExpectedBackend fromFileEntry(JsonObject entry) {
        return new ExpectedBackend(entry.get("type").getAsString(), entry.get("title").getAsString(),
                entry.get("enabled").getAsBoolean(), entry.getAsJsonObject("settings"));
    }

    /** The result of an acknowledged {@code EditBackend}: a new title, and the sent settings merged in. */
    ExpectedBackend edited(String newTitle, JsonObject update, Set<String> secretNames) {
        JsonObject merged = settings.deepCopy();
        for (Map.Entry<String, JsonElement> value : update.entrySet()) {
            boolean keepsSecret = secretNames.contains(value.getKey()) && value.getValue().isJsonPrimitive()
                    && SECRET_PLACEHOLDER.equals(value.getValue().getAsString());
            if (!keepsSecret) {
                merged.add(value.getKey(), value.getValue().deepCopy());
            }
        }
        return new ExpectedBackend(type, newTitle, enabled, merged);
    }

    ExpectedBackend withEnabled(boolean newEnabled) {
        return new ExpectedBackend(type, title, newEnabled, settings);
    }

    /**
     * The settings as the API shows them: non-empty secrets replaced by the placeholder, and in header lists
     * ({@code Name: value} per line) each non-empty value.
     */
    JsonObject viewSettings(Set<String> secretNames, Set<String> headerLists) {
        JsonObject view = settings.deepCopy();
        for (String secret : secretNames) {
            JsonElement value = view.get(secret);
            if (value != null && !value.getAsString().isEmpty()) {
                view.addProperty(secret, SECRET_PLACEHOLDER);
            }
        }
        for (String list : headerLists) {
            JsonElement value = view.get(list);
            if (value != null) {
                String[] lines = value.getAsString().split("\n", -1);
                for (int i = 0; i < lines.length; i++) {
                    int colon = lines[i].indexOf(':');
                    if (colon > 0 && !lines[i].substring(colon + 1).isBlank()) {
                        lines[i] = lines[i].substring(0, colon + 1) + " " + SECRET_PLACEHOLDER;
                    }
                }
                view.addProperty(list, String.join("\n", lines));
            }
        }
        return view;
    }

    /** Whether a {@code ListBackends} view shows exactly this configuration (secrets and header values masked). */
    boolean matchesView(JsonObject view, Set<String> secretNames, Set<String> headerLists) {
        return type.equals(view.get("type").getAsString()) && title.equals(view.get("title").getAsString())
                && enabled == view.get("enabled").getAsBoolean()
                && viewSettings(secretNames, headerLists).equals(view.getAsJsonObject("settings"));
    }
}
