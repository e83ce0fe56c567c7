package dev.switchboard.server.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The account routes on a real server over real HTTP: the first user from the local user, a login's cookie, a
 * session made with it, an API key, the audit log of it all (with no password or key in it), and logout.
 */
final class AccountRoutesIT {
    private static final String CANARY_PASSWORD = "canary-pw-5d1f0a9e";
    private static final Pattern COOKIE = Pattern.compile(
            "swarm_token=([A-Za-z0-9_-]{20,}); Path=/; HttpOnly; SameSite=Strict; Max-Age=2592000");

    @TempDir
    Path folder;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20)).build();

    @Test
    void loginCookieThenGetNewSessionActsAsTheUserAndEverythingIsAudited() throws Exception {
        Path data = folder.resolve("data");
        try (TestServer server = TestServer.start(data, Files.createDirectories(folder.resolve("plugins")), false)) {
            // No users yet: the local user holds everything and adds the first user, which turns accounts on.
            String local = post(server, "GetNewSession", new JsonObject(), null).json().get("session_id").getAsString();
            JsonObject add = body(local);
            add.addProperty("name", "root");
            add.addProperty("password", CANARY_PASSWORD);
            add.addProperty("role", "owner");
            assertThat(post(server, "AdminAddUser", add, null).text()).isEqualTo("{\"success\":true}");
            assertThat(post(server, "ListBackends", body(local), null).status()).isEqualTo(401);

            JsonObject wrong = new JsonObject();
            wrong.addProperty("username", "root");
            wrong.addProperty("password", "not the password");
            Reply refused = post(server, "Login", wrong, null);
            assertThat(refused.status()).isEqualTo(200);
            assertThat(refused.text()).isEqualTo(
                    "{\"error_id\":\"invalid_login\",\"error\":\"Login failed: wrong name or password.\"}");
            assertThat(refused.setCookies()).isEmpty();

            JsonObject login = new JsonObject();
            login.addProperty("username", "Root");
            login.addProperty("password", CANARY_PASSWORD);
            Reply loggedIn = post(server, "Login", login, null);
            assertThat(loggedIn.text()).isEqualTo("{\"success\":\"true\"}");
            assertThat(loggedIn.setCookies()).hasSize(1);
            Matcher cookie = COOKIE.matcher(loggedIn.setCookies().get(0));
            assertThat(cookie.matches()).as(loggedIn.setCookies().get(0)).isTrue();
            String token = cookie.group(1);

            JsonObject session = post(server, "GetNewSession", new JsonObject(), "swarm_token=" + token).json();
            assertThat(session.get("user_id").getAsString()).isEqualTo("root");
            assertThat(session.getAsJsonArray("permissions").get(0).getAsString()).isEqualTo("*");
            String root = session.get("session_id").getAsString();
            assertThat(post(server, "GetMyUserData", body(root), null).json().get("user_name").getAsString())
                    .isEqualTo("root");

            JsonObject createKey = body(root);
            createKey.addProperty("label", "farm");
            JsonObject key = post(server, "CreateAPIKey", createKey, null).json();
            String keyText = key.get("key").getAsString();
            assertThat(post(server, "ListAPIKeys", body(root), null).text()).contains(key.get("id").getAsString())
                    .doesNotContain(keyText);

            JsonArray entries = post(server, "GetAuditLog", body(root), null).json().getAsJsonArray("entries");
            assertThat(entries).extracting(entry -> entry.getAsJsonObject().get("route").getAsString()
                            + " " + entry.getAsJsonObject().get("target").getAsString() + " "
                            + entry.getAsJsonObject().get("outcome").getAsString())
                    .containsExactly("CreateAPIKey " + key.get("id").getAsString() + " ok", "Login Root ok",
                            "Login root Login failed: wrong name or password.", "AdminAddUser root ok");
            JsonObject first = entries.get(3).getAsJsonObject();
            assertThat(first.get("user").getAsString()).isEqualTo("local");
            assertThat(first.get("address").getAsString()).isEqualTo("127.0.0.1");

            Reply logout = post(server, "Logout", body(root), null);
            assertThat(logout.text()).isEqualTo("{\"success\":true}");
            assertThat(logout.setCookies())
                    .containsExactly("swarm_token=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
            assertThat(post(server, "GetMyUserData", body(root), null).status()).isEqualTo(401);
            assertThat(post(server, "GetNewSession", new JsonObject(), "swarm_token=" + token).json()
                    .get("user_id").getAsString()).isEmpty();

            Path audit = data.resolve("audit.log");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(audit))).isEqualTo("rw-------");
            String written = Files.readString(audit, UTF_8);
            assertThat(written).contains("\"route\":\"Logout\"").doesNotContain(CANARY_PASSWORD)
                    .doesNotContain(keyText).doesNotContain(token);
        }
    }

    private static JsonObject body(String sessionId) {
        JsonObject body = new JsonObject();
        body.addProperty("session_id", sessionId);
        return body;
    }

    private Reply post(TestServer server, String route, JsonObject body, String cookie) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + "/API/" + route))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(UTF_8));
        return new Reply(response.statusCode(), response.body(),
                new ArrayList<>(response.headers().allValues("Set-Cookie")));
    }

    private record Reply(int status, String text, List<String> setCookies) {
        JsonObject json() {
            return JsonParser.parseString(text).getAsJsonObject();
        }
    }
}
