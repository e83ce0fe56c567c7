package dev.switchboard.server.routes.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.switchboard.server.sessions.Credentials;
import dev.switchboard.server.sessions.InvalidCredentialsException;
import dev.switchboard.server.sessions.Permission;
import dev.switchboard.server.sessions.Session;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** CreateAPIKey, ListAPIKeys and RevokeAPIKey over a real Accounts. */
final class ApiKeyRoutesTest extends AccountsFixture {
    private Session alice;
    private CreateApiKeyRoute create;

    @BeforeEach
    void addUsers() throws Exception {
        addUser("root", "owner");
        addUser("alice", "user");
        alice = sessionOf("alice");
        create = new CreateApiKeyRoute(accounts, clock);
    }

    @Test
    void createAnswersTheKeyOnceAndTheKeyActsAsTheUser() throws Exception {
        JsonObject created = create.handle(call(alice, "label", "render farm", "expires_days", 30));

        assertThat(create.permission()).isEqualTo(Permission.MANAGE_API_KEYS);
        assertThat(created.keySet()).containsExactly("key", "id", "label", "expires");
        assertThat(created.get("label").getAsString()).isEqualTo("render farm");
        assertThat(created.get("expires").getAsString()).isEqualTo(NOW.plus(Duration.ofDays(30)).toString());
        String key = created.get("key").getAsString();
        assertThat(accounts.resolve(bearer(key)).user()).isEqualTo("alice");
        assertThat(store.saved().apiKeys().get(0).keyHash()).doesNotContain(key);
    }

    @Test
    void aKeyWithoutExpiryNeverExpires() throws Exception {
        JsonObject created = create.handle(call(alice, "label", "laptop"));

        assertThat(created.get("expires").isJsonNull()).isTrue();
    }

    @Test
    void createRefusesBadExpiriesLongLabelsAndTheLocalUser() {
        assertRefused(create, call(alice, "label", "x", "expires_days", 0),
                "Invalid value '0' for parameter 'expires_days': it must be between 1 and 3650.");
        assertRefused(create, call(alice, "label", "x", "expires_days", 3651),
                "Invalid value '3651' for parameter 'expires_days': it must be between 1 and 3650.");
        assertRefused(create, call(alice, "label", "x".repeat(201)), "A key's label may have at most 200 characters.");
        assertRefused(create, call(alice), "Missing required parameter 'label'");
        assertRefused(create, call(localSession(), "label", "x"), "API keys belong to users: add the first user with"
                + " 'bin/switchboard user add NAME --role owner' and log in.");
    }

    @Test
    void listShowsOwnKeysOrEveryonesForManagersButNeverTheKeyItself() throws Exception {
        String aliceKey = create.handle(call(alice, "label", "alice's")).get("key").getAsString();
        String rootKey = create.handle(call(sessionOf("root"), "label", "root's", "expires_days", 1))
                .get("key").getAsString();
        ListApiKeysRoute list = new ListApiKeysRoute(accounts);

        JsonArray own = list.handle(call(alice)).getAsJsonArray("keys");
        JsonArray all = list.handle(call(sessionOf("root"), "all", true)).getAsJsonArray("keys");

        assertThat(own).hasSize(1);
        JsonObject listed = own.get(0).getAsJsonObject();
        assertThat(listed.keySet()).containsExactly("id", "user", "label", "created", "expires");
        assertThat(listed.get("user").getAsString()).isEqualTo("alice");
        assertThat(listed.get("created").getAsString()).isEqualTo(NOW.toString());
        assertThat(listed.get("expires").isJsonNull()).isTrue();
        assertThat(all).hasSize(2);
        for (JsonArray answer : new JsonArray[] {own, all}) {
            String text = answer.toString();
            assertThat(text).doesNotContain(aliceKey).doesNotContain(rootKey)
                    .doesNotContain(store.saved().apiKeys().get(0).keyHash());
        }
        assertRefused(list, call(alice, "all", true), "Listing every user's API keys needs the permission"
                + " 'manage_users'.");
    }

    @Test
    void revokeEndsTheKeyAndItsSessions() throws Exception {
        JsonObject created = create.handle(call(alice, "label", "laptop"));
        String key = created.get("key").getAsString();
        Session keySession = sessions.create(accounts.resolve(bearer(key)));
        RevokeApiKeyRoute revoke = new RevokeApiKeyRoute(accounts);

        assertRefused(revoke, call(alice, "id", "nope"), "No API key has the id 'nope'.");
        addUser("bob", "user");
        assertRefused(revoke, call(sessionOf("bob"), "id", created.get("id").getAsString()),
                "No API key has the id '" + created.get("id").getAsString() + "'.");

        revoke.handle(call(alice, "id", created.get("id").getAsString()));

        assertThat(sessions.find(keySession.id())).isEmpty();
        assertThat(store.saved().apiKeys()).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> accounts.resolve(bearer(key)))
                .isInstanceOf(InvalidCredentialsException.class);
    }

    private static Credentials bearer(String key) {
        return new Credentials(Optional.of(key), Optional.empty(), "10.0.0.1");
    }
}
