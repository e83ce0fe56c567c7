package dev.switchboard.distribution.durability;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the reference model must know about each backend type: the settings a new backend starts with, and
 * which settings are secrets (masked in views, kept by the placeholder on edit) and which are header lists
 * (each header's value masked in views).
 */
final class BackendTypeFacts {
    private final Map<String, JsonObject> defaults;
    private final Map<String, Set<String>> secrets;
    private final Map<String, Set<String>> headerLists;

    private BackendTypeFacts(Map<String, JsonObject> defaults, Map<String, Set<String>> secrets,
                             Map<String, Set<String>> headerLists) {
        this.headerLists = requireNonNull(headerLists, "headerLists is null");
        this.defaults = requireNonNull(defaults, "defaults is null");
        this.secrets = requireNonNull(secrets, "secrets is null");
    }

    /**
     * Learns the facts from a running server: secrets from {@code ListBackendTypes}, defaults from the
     * answer to {@code AddNewBackend} of each type in {@code types}. The added backends are left in place.
     *
     * @return the facts, and (through {@code added}) the backends that were added, by id
     */
    static BackendTypeFacts learn(ApiSession api, Iterable<String> types, Map<Integer, ExpectedBackend> added)
            throws IOException, InterruptedException {
        Map<String, Set<String>> secrets = new HashMap<>();
        Map<String, Set<String>> headerLists = new HashMap<>();
        for (JsonElement type : api.call("ListBackendTypes", new JsonObject()).getAsJsonArray("list")) {
            Set<String> names = new HashSet<>();
            Set<String> lists = new HashSet<>();
            for (JsonElement setting : type.getAsJsonObject().getAsJsonArray("settings")) {
                JsonObject definition = setting.getAsJsonObject();
                if (definition.get("is_secret").getAsBoolean()) {
                    names.add(definition.get("name").getAsString());
                }
                if (definition.has("is_header_list") && definition.get("is_header_list").getAsBoolean()) {
                    lists.add(definition.get("name").getAsString());
                }
            }
            secrets.put(type.getAsJsonObject().get("id").getAsString(), Set.copyOf(names));
            headerLists.put(type.getAsJsonObject().get("id").getAsString(), Set.copyOf(lists));
        }
        Map<String, JsonObject> defaults = new HashMap<>();
        for (String type : types) {
            JsonObject body = new JsonObject();
            body.addProperty("type_id", type);
            JsonObject view = api.call("AddNewBackend", body);
            if (view.has("error")) {
                throw new IllegalStateException("AddNewBackend " + type + " failed: " + view);
            }
            JsonObject settings = view.getAsJsonObject("settings");
            for (String secret : secrets.getOrDefault(type, Set.of())) {
                if (ExpectedBackend.SECRET_PLACEHOLDER.equals(settings.get(secret).getAsString())) {
                    throw new IllegalStateException("the default of secret " + secret + " of " + type
                            + " is masked; the model cannot learn it");
                }
            }
            defaults.put(type, settings);
            added.put(view.get("id").getAsInt(), new ExpectedBackend(type, "", true, settings));
        }
        return new BackendTypeFacts(Map.copyOf(defaults), Map.copyOf(secrets), Map.copyOf(headerLists));
    }

    /** The configuration {@code AddNewBackend} gives a new backend of {@code type}. */
    ExpectedBackend newBackend(String type) {
        JsonObject settings = defaults.get(type);
        if (settings == null) {
            throw new IllegalArgumentException("no defaults learned for " + type);
        }
        return new ExpectedBackend(type, "", true, settings);
    }

    Set<String> secrets(String type) {
        return secrets.getOrDefault(type, Set.of());
    }

    /** The header-list settings of {@code type}: views show their header names, each value masked. */
    Set<String> headerLists(String type) {
        return headerLists.getOrDefault(type, Set.of());
    }
}
