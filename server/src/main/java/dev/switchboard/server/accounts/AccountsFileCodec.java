package dev.switchboard.server.accounts;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.switchboard.server.store.FileCodec;
import dev.switchboard.server.store.JsonFields;
import dev.switchboard.server.store.StoreException;
import dev.switchboard.server.store.StoreFormatException;
import dev.switchboard.server.store.StrictJsonParser;
import dev.switchboard.server.store.StrictJsonWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and writes the users file, {@code {"version":1,"users":[...],"roles":[...],"api_keys":[...]}}. Reading
 * is strict, so whatever it accepts is a state the accounts can serve: strict UTF-8 JSON, version 1, every field
 * present with its type and none unknown, unique user names, role names, key ids and key hashes, valid user and
 * role names, well-formed Argon2id hashes, and users and keys that name only existing roles and users. A state
 * read back equals the one written. Thread-safe.
 */
public final class AccountsFileCodec implements FileCodec<AccountsState> {
    /** The version this code reads and writes. */
    public static final int VERSION = 1;

    private static final String VERSION_KEY = "version";
    private static final String USERS_KEY = "users";
    private static final String ROLES_KEY = "roles";
    private static final String API_KEYS_KEY = "api_keys";

    @Override
    public String what() {
        return "users";
    }

    @Override
    public AccountsState decode(byte[] bytes) throws StoreFormatException {
        JsonElement rootElement = StrictJsonParser.parse(bytes);
        if (!rootElement.isJsonObject()) {
            throw new StoreFormatException("the top level must be a JSON object, but is "
                    + JsonFields.describe(rootElement));
        }
        JsonObject root = rootElement.getAsJsonObject();
        checkVersion(root.get(VERSION_KEY));
        AccountsJson.onlyKeys(root, Set.of(VERSION_KEY, USERS_KEY, ROLES_KEY, API_KEYS_KEY));
        List<Role> roles = new ArrayList<>();
        Map<String, Integer> roleIndex = new HashMap<>();
        JsonArray roleArray = array(root, ROLES_KEY);
        for (int index = 0; index < roleArray.size(); index++) {
            String where = ROLES_KEY + "[" + index + "]";
            Role role = entry(roleArray, index, where, AccountsJson::role);
            unique(roleIndex, role.name(), index, where, "name", ROLES_KEY);
            roles.add(role);
        }
        List<UserAccount> users = new ArrayList<>();
        Map<String, Integer> userIndex = new HashMap<>();
        JsonArray userArray = array(root, USERS_KEY);
        for (int index = 0; index < userArray.size(); index++) {
            String where = USERS_KEY + "[" + index + "]";
            UserAccount user = entry(userArray, index, where, AccountsJson::user);
            unique(userIndex, user.name(), index, where, "name", USERS_KEY);
            for (String role : user.roles()) {
                if (!roleIndex.containsKey(role)) {
                    throw new StoreFormatException(where + " (" + user.name() + ") has the role \""
                            + AccountsJson.abbreviate(role) + "\", which is not among the roles");
                }
            }
            users.add(user);
        }
        List<ApiKey> keys = new ArrayList<>();
        Map<String, Integer> keyIndex = new HashMap<>();
        Map<String, Integer> hashIndex = new HashMap<>();
        JsonArray keyArray = array(root, API_KEYS_KEY);
        for (int index = 0; index < keyArray.size(); index++) {
            String where = API_KEYS_KEY + "[" + index + "]";
            ApiKey key = entry(keyArray, index, where, AccountsJson::apiKey);
            unique(keyIndex, key.id(), index, where, "id", API_KEYS_KEY);
            unique(hashIndex, key.keyHash(), index, where, "key_hash", API_KEYS_KEY);
            if (!userIndex.containsKey(key.user())) {
                throw new StoreFormatException(where + " belongs to the user \"" + AccountsJson.abbreviate(key.user())
                        + "\", who is not among the users");
            }
            keys.add(key);
        }
        return new AccountsState(users, roles, keys);
    }

    @Override
    public byte[] encode(AccountsState state) throws StoreException {
        JsonObject root = new JsonObject();
        root.addProperty(VERSION_KEY, VERSION);
        JsonArray users = new JsonArray();
        state.users().forEach(user -> users.add(AccountsJson.user(user)));
        root.add(USERS_KEY, users);
        JsonArray roles = new JsonArray();
        state.roles().forEach(role -> roles.add(AccountsJson.role(role)));
        root.add(ROLES_KEY, roles);
        JsonArray keys = new JsonArray();
        state.apiKeys().forEach(key -> keys.add(AccountsJson.apiKey(key)));
        root.add(API_KEYS_KEY, keys);
        return StrictJsonWriter.toBytes(root, what());
    }

    private static void checkVersion(JsonElement value) throws StoreFormatException {
        int version = JsonFields.intValue(value, "'" + VERSION_KEY + "'");
        if (version > VERSION) {
            throw new StoreFormatException("it was written by a newer Switchboard (version " + version
                    + "; this one reads version " + VERSION + ")");
        }
        if (version != VERSION) {
            throw new StoreFormatException("version " + version + " is unknown (this Switchboard reads version "
                    + VERSION + ")");
        }
    }

    private static JsonArray array(JsonObject root, String key) throws StoreFormatException {
        JsonElement value = root.get(key);
        if (value == null || !value.isJsonArray()) {
            throw new StoreFormatException("'" + key + "' must be an array, but is " + JsonFields.describe(value));
        }
        return value.getAsJsonArray();
    }

    private static <E> E entry(JsonArray array, int index, String where, EntryReader<E> reader)
            throws StoreFormatException {
        JsonElement element = array.get(index);
        if (!element.isJsonObject()) {
            throw new StoreFormatException(where + " must be an object, but is " + JsonFields.describe(element));
        }
        try {
            return reader.read(element.getAsJsonObject());
        } catch (StoreFormatException e) {
            throw new StoreFormatException(where + ": " + e.getMessage());
        }
    }

    private static void unique(Map<String, Integer> seen, String value, int index, String where, String field,
                               String list) throws StoreFormatException {
        Integer earlier = seen.putIfAbsent(value, index);
        if (earlier != null) {
            String shown = field.equals("key_hash") ? "" : " \"" + AccountsJson.abbreviate(value) + "\"";
            throw new StoreFormatException(where + ": the " + field + shown + " is already used by " + list + "["
                    + earlier + "]");
        }
    }

    @FunctionalInterface
    private interface EntryReader<E> {
        E read(JsonObject json) throws StoreFormatException;
    }
}
