package dev.switchboard.server.accounts;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.switchboard.server.store.StoreFormatException;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

final class AccountsFileCodecTest {
    private final AccountsFileCodec codec = new AccountsFileCodec();

    @Test
    void aStateReadsBackEqualAndWritesTheSameBytesAgain() throws Exception {
        for (AccountsState state : new AccountsState[] {AccountsState.initial(), SampleAccounts.version(1),
                SampleAccounts.version(4)}) {
            byte[] bytes = codec.encode(state);
            AccountsState read = codec.decode(bytes);
            assertThat(read).isEqualTo(state);
            assertThat(codec.encode(read)).isEqualTo(bytes);
        }
    }

    @Test
    void theFileIsTheDocumentedShape() throws Exception {
        JsonObject root = JsonParser.parseString(new String(codec.encode(SampleAccounts.version(2)), UTF_8))
                .getAsJsonObject();
        assertThat(root.keySet()).containsExactly("version", "users", "roles", "api_keys");
        assertThat(root.get("version").getAsInt()).isEqualTo(1);
        JsonObject user = root.getAsJsonArray("users").get(0).getAsJsonObject();
        assertThat(user.keySet()).containsExactly("name", "password_hash", "roles", "created");
        assertThat(user.get("password_hash").getAsString()).startsWith("$argon2id$v=19$m=8,t=1,p=1$");
        assertThat(user.get("created").getAsString()).isEqualTo("2025-01-01T00:00:01.000001Z");
        JsonObject key = root.getAsJsonArray("api_keys").get(0).getAsJsonObject();
        assertThat(key.get("expires").isJsonNull()).isTrue();
        JsonObject owner = root.getAsJsonArray("roles").get(0).getAsJsonObject();
        assertThat(owner.get("name").getAsString()).isEqualTo("owner");
        assertThat(owner.getAsJsonArray("permissions").toString()).isEqualTo("[\"*\"]");
    }

    static Stream<Arguments> formatErrors() {
        return Stream.of(
                error("a newer version", root -> root.addProperty("version", 2), "written by a newer Switchboard"),
                error("an unknown older version", root -> root.addProperty("version", 0), "version 0 is unknown"),
                error("a version that is text", root -> root.addProperty("version", "1"), "'version' must be a whole"),
                error("no version", root -> root.remove("version"), "'version' must be a whole number, but is missing"),
                error("no users", root -> root.remove("users"), "'users' must be an array, but is missing"),
                error("no roles", root -> root.remove("roles"), "'roles' must be an array, but is missing"),
                error("no api keys", root -> root.remove("api_keys"), "'api_keys' must be an array, but is missing"),
                error("an unknown top-level field", root -> root.addProperty("extra", 1), "the field 'extra' is unknown"),
                error("a user that is not an object", root -> users(root).set(0, new JsonArray()),
                        "users[0] must be an object, but is an array"),
                error("a user without a name", root -> user(root, 1).remove("name"),
                        "users[1]: 'name' must be a string, but is missing"),
                error("a user without a hash", root -> user(root, 0).remove("password_hash"),
                        "users[0]: 'password_hash' must be a string, but is missing"),
                error("a user without roles", root -> user(root, 0).remove("roles"),
                        "users[0]: 'roles' must be an array of strings, but is missing"),
                error("a user without a creation time", root -> user(root, 0).remove("created"),
                        "users[0]: 'created' must be a string, but is missing"),
                error("a user with an unknown field", root -> user(root, 0).addProperty("password", "hunter22"),
                        "users[0]: the field 'password' is unknown"),
                error("a duplicate user name", root -> user(root, 1).addProperty("name", "user1"),
                        "users[1]: the name \"user1\" is already used by users[0]"),
                error("an upper-case user name", root -> user(root, 0).addProperty("name", "User1"),
                        "users[0]: 'name' \"User1\" is not a valid user name"),
                error("a user name that is a path", root -> user(root, 0).addProperty("name", "../etc"),
                        "is not a valid user name"),
                error("a user naming a missing role", root -> user(root, 1).getAsJsonArray("roles").add("wizard"),
                        "users[1] (user2) has the role \"wizard\", which is not among the roles"),
                error("a user with no roles", root -> user(root, 0).add("roles", new JsonArray()),
                        "users[0]: 'roles' must name at least one role"),
                error("a user with a role twice", root -> user(root, 0).getAsJsonArray("roles").add("owner"),
                        "users[0]: 'roles' holds \"owner\" twice"),
                error("a plain-text password as hash", root -> user(root, 0).addProperty("password_hash", "hunter22"),
                        "users[0]: 'password_hash' is not an Argon2id hash"),
                error("a hash without its digest", root -> user(root, 0).addProperty("password_hash",
                        "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$"), "'password_hash' is not an Argon2id hash"),
                error("a hash with absurd parameters", root -> user(root, 0).addProperty("password_hash",
                        user(root, 0).get("password_hash").getAsString().replace("m=8,", "m=99999999,")),
                        "'password_hash' is not an Argon2id hash"),
                error("a creation time that is no time", root -> user(root, 0).addProperty("created", "yesterday"),
                        "users[0]: 'created' must be a UTC time"),
                error("a duplicate role name", root -> role(root, 2).addProperty("name", "owner"),
                        "roles[2]: the name \"owner\" is already used by roles[0]"),
                error("a role without permissions", root -> role(root, 1).remove("permissions"),
                        "roles[1]: 'permissions' must be an array of strings, but is missing"),
                error("a role with a permission twice", root -> role(root, 1).getAsJsonArray("permissions")
                        .add(role(root, 1).getAsJsonArray("permissions").get(0)), "roles[1]: 'permissions' holds"),
                error("a role with a negative limit", root -> role(root, 1).addProperty("max_t2i_simultaneous", -1),
                        "roles[1]: 'max_t2i_simultaneous' must be 0 or more, but is -1"),
                error("a role with a fractional limit", root -> role(root, 1).addProperty("max_outpath_depth", 1.5),
                        "roles[1]: 'max_outpath_depth' must be a whole number"),
                error("a role flag that is text", root -> role(root, 1).addProperty("allow_unsafe_outpaths", "no"),
                        "roles[1]: 'allow_unsafe_outpaths' must be true or false, but is a string"),
                error("a role without a description", root -> role(root, 1).remove("description"),
                        "roles[1]: 'description' must be a string, but is missing"),
                error("a role without a blacklist", root -> role(root, 1).remove("model_blacklist"),
                        "roles[1]: 'model_blacklist' must be an array of strings, but is missing"),
                error("a duplicate key id", root -> key(root, 1).addProperty("id", "key1"),
                        "api_keys[1]: the id \"key1\" is already used by api_keys[0]"),
                error("a duplicate key hash", root -> key(root, 1).add("key_hash", key(root, 0).get("key_hash")),
                        "api_keys[1]: the key_hash is already used by api_keys[0]"),
                error("a key of a missing user", root -> key(root, 0).addProperty("user", "ghost"),
                        "api_keys[0] belongs to the user \"ghost\", who is not among the users"),
                error("a key hash that is no SHA-256", root -> key(root, 0).addProperty("key_hash", "ABC"),
                        "api_keys[0]: 'key_hash' must be 64 lower-case hex digits"),
                error("a key without expiry field", root -> key(root, 0).remove("expires"),
                        "api_keys[0]: 'expires' must be a time or null, but is missing"),
                error("a key with an empty id", root -> key(root, 0).addProperty("id", ""),
                        "api_keys[0]: 'id' must not be empty"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formatErrors")
    void aDocumentThatBreaksARuleIsAFormatError(String name, Consumer<JsonObject> damage, String message)
            throws Exception {
        JsonObject root = JsonParser.parseString(new String(codec.encode(SampleAccounts.version(3)), UTF_8))
                .getAsJsonObject();
        damage.accept(root);
        assertThatThrownBy(() -> codec.decode(root.toString().getBytes(UTF_8)))
                .isInstanceOf(StoreFormatException.class).hasMessageContaining(message);
    }

    @Test
    void bytesThatAreNoStrictJsonObjectAreFormatErrors() {
        assertFormatError("", "the file is empty");
        assertFormatError("\0\0\0", "only zero bytes");
        assertFormatError("[]", "the top level must be a JSON object, but is an array");
        assertFormatError("{\"version\":1,\"users\":[],\"roles\":[],\"api_keys\":[],\"users\":[]}", "appears twice");
        assertFormatError("{\"version\":1,\"users\":[],\"roles\":[],\"api_keys\":[]} {}", "not valid JSON");
        assertFormatError("{\"version\":1,\"users\":[],\"roles\":[],\"api_keys\":[]", "not valid JSON");
    }

    @Test
    void aPasswordOrItsHashNeverShowsInAnError() throws Exception {
        JsonObject root = JsonParser.parseString(new String(codec.encode(SampleAccounts.version(1)), UTF_8))
                .getAsJsonObject();
        String hash = user(root, 0).get("password_hash").getAsString();
        user(root, 0).addProperty("password_hash", hash + "!");
        assertThatThrownBy(() -> codec.decode(root.toString().getBytes(UTF_8)))
                .isInstanceOf(StoreFormatException.class).message().doesNotContain(hash);
    }

    private void assertFormatError(String text, String message) {
        assertThatThrownBy(() -> codec.decode(text.getBytes(UTF_8))).isInstanceOf(StoreFormatException.class)
                .hasMessageContaining(message);
    }

    private static Arguments error(String name, Consumer<JsonObject> damage, String message) {
        return Arguments.of(name, damage, message);
    }

    private static JsonArray users(JsonObject root) {
        return root.getAsJsonArray("users");
    }

    private static JsonObject user(JsonObject root, int index) {
        return users(root).get(index).getAsJsonObject();
    }

    private static JsonObject role(JsonObject root, int index) {
        return root.getAsJsonArray("roles").get(index).getAsJsonObject();
    }

    private static JsonObject key(JsonObject root, int index) {
        return root.getAsJsonArray("api_keys").get(index).getAsJsonObject();
    }
}
