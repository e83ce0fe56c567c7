package dev.switchboard.server.accounts;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.switchboard.server.store.JsonFields;
import dev.switchboard.server.store.StoreFormatException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The JSON form of one user, role or API key in the users file, read strictly: every field present with its
 * type, no unknown field, no repeated list entry. Cross-entry rules (unique names, roles that exist) are
 * {@link AccountsFileCodec}'s.
 */
final class AccountsJson {
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private AccountsJson() {
    }

    static JsonObject user(UserAccount user) {
        JsonObject json = new JsonObject();
        json.addProperty("name", user.name());
        json.addProperty("password_hash", user.passwordHash());
        json.add("roles", strings(user.roles()));
        json.addProperty("created", user.created().toString());
        return json;
    }

    static UserAccount user(JsonObject json) throws StoreFormatException {
        onlyKeys(json, Set.of("name", "password_hash", "roles", "created"));
        String name = JsonFields.stringValue(json.get("name"), "'name'");
        if (!UserNames.isValid(name)) {
            throw new StoreFormatException("'name' \"" + abbreviate(name) + "\" is not a valid user name ("
                    + UserNames.rule() + ", lower-case)");
        }
        String hash = JsonFields.stringValue(json.get("password_hash"), "'password_hash'");
        if (!PasswordHasher.isWellFormed(hash)) {
            throw new StoreFormatException("'password_hash' is not an Argon2id hash in PHC form"
                    + " ($argon2id$v=19$m=...,t=...,p=...$salt$hash) with sane parameters");
        }
        List<String> roles = uniqueStrings(json.get("roles"), "'roles'");
        if (roles.isEmpty()) {
            throw new StoreFormatException("'roles' must name at least one role");
        }
        return new UserAccount(name, hash, roles, instant(json.get("created"), "'created'"));
    }

    static JsonObject role(Role role) {
        JsonObject json = new JsonObject();
        json.addProperty("name", role.name());
        json.addProperty("description", role.description());
        // Sorted: a set has no order of its own, and the file should not change when nothing did.
        json.add("permissions", strings(new TreeSet<>(role.permissions())));
        json.addProperty("max_outpath_depth", role.maxOutpathDepth());
        json.addProperty("max_t2i_simultaneous", role.maxT2iSimultaneous());
        json.addProperty("allow_unsafe_outpaths", role.allowUnsafeOutpaths());
        json.add("model_whitelist", strings(role.modelWhitelist()));
        json.add("model_blacklist", strings(role.modelBlacklist()));
        return json;
    }

    static Role role(JsonObject json) throws StoreFormatException {
        onlyKeys(json, Set.of("name", "description", "permissions", "max_outpath_depth", "max_t2i_simultaneous",
                "allow_unsafe_outpaths", "model_whitelist", "model_blacklist"));
        String name = JsonFields.stringValue(json.get("name"), "'name'");
        if (!UserNames.isValid(name)) {
            throw new StoreFormatException("'name' \"" + abbreviate(name) + "\" is not a valid role name ("
                    + UserNames.rule() + ", lower-case)");
        }
        String description = JsonFields.stringValue(json.get("description"), "'description'");
        List<String> permissions = uniqueStrings(json.get("permissions"), "'permissions'");
        int depth = notNegative(json.get("max_outpath_depth"), "'max_outpath_depth'");
        int simultaneous = notNegative(json.get("max_t2i_simultaneous"), "'max_t2i_simultaneous'");
        boolean unsafe = JsonFields.booleanValue(json.get("allow_unsafe_outpaths"), "'allow_unsafe_outpaths'");
        List<String> whitelist = uniqueStrings(json.get("model_whitelist"), "'model_whitelist'");
        List<String> blacklist = uniqueStrings(json.get("model_blacklist"), "'model_blacklist'");
        return new Role(name, description, Set.copyOf(permissions), depth, simultaneous, unsafe, whitelist,
                blacklist);
    }

    static JsonObject apiKey(ApiKey key) {
        JsonObject json = new JsonObject();
        json.addProperty("id", key.id());
        json.addProperty("user", key.user());
        json.addProperty("label", key.label());
        json.addProperty("key_hash", key.keyHash());
        json.addProperty("created", key.created().toString());
        json.add("expires", key.expires().<JsonElement>map(end -> new JsonPrimitive(end.toString()))
                .orElse(JsonNull.INSTANCE));
        return json;
    }

    static ApiKey apiKey(JsonObject json) throws StoreFormatException {
        onlyKeys(json, Set.of("id", "user", "label", "key_hash", "created", "expires"));
        String id = JsonFields.stringValue(json.get("id"), "'id'");
        if (id.isEmpty()) {
            throw new StoreFormatException("'id' must not be empty");
        }
        String user = JsonFields.stringValue(json.get("user"), "'user'");
        String label = JsonFields.stringValue(json.get("label"), "'label'");
        String hash = JsonFields.stringValue(json.get("key_hash"), "'key_hash'");
        if (!SHA256_HEX.matcher(hash).matches()) {
            throw new StoreFormatException("'key_hash' must be 64 lower-case hex digits (a SHA-256)");
        }
        Instant created = instant(json.get("created"), "'created'");
        JsonElement expiresValue = json.get("expires");
        if (expiresValue == null) {
            throw new StoreFormatException("'expires' must be a time or null, but is missing");
        }
        Optional<Instant> expires = expiresValue.isJsonNull() ? Optional.empty()
                : Optional.of(instant(expiresValue, "'expires'"));
        return new ApiKey(id, user, label, hash, created, expires);
    }

    private static JsonArray strings(Iterable<String> values) {
        JsonArray array = new JsonArray();
        values.forEach(array::add);
        return array;
    }

    private static List<String> uniqueStrings(JsonElement value, String what) throws StoreFormatException {
        if (value == null || !value.isJsonArray()) {
            throw new StoreFormatException(what + " must be an array of strings, but is " + JsonFields.describe(value));
        }
        List<String> strings = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        JsonArray array = value.getAsJsonArray();
        for (int index = 0; index < array.size(); index++) {
            String entry = JsonFields.stringValue(array.get(index), what + "[" + index + "]");
            if (!seen.add(entry)) {
                throw new StoreFormatException(what + " holds \"" + abbreviate(entry) + "\" twice");
            }
            strings.add(entry);
        }
        return strings;
    }

    private static int notNegative(JsonElement value, String what) throws StoreFormatException {
        int number = JsonFields.intValue(value, what);
        if (number < 0) {
            throw new StoreFormatException(what + " must be 0 or more, but is " + number);
        }
        return number;
    }

    private static Instant instant(JsonElement value, String what) throws StoreFormatException {
        String text = JsonFields.stringValue(value, what);
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new StoreFormatException(what + " must be a UTC time such as 2025-01-31T12:00:00Z, but is \""
                    + abbreviate(text) + "\"");
        }
    }

    /** Refuses fields this version does not know: a misspelt one must not be silently dropped on the next save. */
    static void onlyKeys(JsonObject json, Set<String> known) throws StoreFormatException {
        for (String key : json.keySet()) {
            if (!known.contains(key)) {
                throw new StoreFormatException("the field '" + abbreviate(key) + "' is unknown (known: "
                        + String.join(", ", new TreeSet<>(known)) + ")");
            }
        }
    }

    static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }
}
