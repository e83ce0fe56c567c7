package dev.switchboard.server.it.accounts;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.switchboard.server.accounts.AccountsFile;
import dev.switchboard.server.accounts.BuiltInRoles;
import dev.switchboard.server.accounts.Role;
import dev.switchboard.server.bootstrap.ServerOptions;
import dev.switchboard.server.bootstrap.StartupException;
import dev.switchboard.server.bootstrap.SwitchboardServer;
import dev.switchboard.server.http.AccessPolicy;
import dev.switchboard.server.it.TestPlugins;
import dev.switchboard.testkit.server.SwarmApiClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Accounts over real HTTP on a server whose users file (written before the start) holds an admin, two users and
 * a guest: API keys prove who calls GetNewSession (an expired or unknown key is refused, no key is an anonymous
 * guest), {@code /View/<user>/...} serves a user's outputs to that user and to an admin only, {@code /metrics}
 * and {@code /openapi.json} need a key with their permission while the probes and the page stay open, and a
 * users file beside {@code --required-authorization} refuses the start. Logins: a strict HttpOnly cookie acting
 * as the user until Logout ends it and its sessions; a key made with CreateAPIKey works until RevokeAPIKey, which
 * ends its sessions; ChangePassword and an admin's AdminSetUserPassword end the old password's logins.
 */
final class AccountsHttpIT {
    private static final String ALICE_KEY = "sb_alice_key_0123456789abcdefghijkl";
    private static final String BOB_KEY = "sb_bob_key_0123456789abcdefghijklmno";
    private static final String ADMIN_KEY = "sb_admin_key_0123456789abcdefghijklm";
    private static final String GUEST_KEY = "sb_guest_key_0123456789abcdefghijklm";
    private static final String EXPIRED_KEY = "sb_expired_key_0123456789abcdefghijk";
    private static final String LATER_KEY = "sb_later_key_0123456789abcdefghijklm";
    private static final String IMAGE = "raw/2026-01-01/0800-a cat.png";
    /** Not a real PNG, which the server does not need: it serves bytes by their file name's type. */
    private static final byte[] IMAGE_BYTES = "\u0089PNG\r\n\u001a\nalice's image".getBytes(UTF_8);

    @TempDir
    static Path temp;
    private static Path data;
    private static SwitchboardServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        data = temp.resolve("data");
        accounts().writeTo(data);
        Path image = data.resolve("outputs/alice").resolve(IMAGE);
        Files.createDirectories(image.getParent());
        Files.write(image, IMAGE_BYTES);
        server = SwitchboardServer.start(options(data, AccessPolicy.LOOPBACK_DEFAULTS));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static TestAccounts accounts() {
        return new TestAccounts()
                .user("admin", "admin's password", "admin").key("admin", "admin-key", ADMIN_KEY)
                .user("alice", "alice's password", "user").key("alice", "alice-key", ALICE_KEY)
                .key("alice", "expired-key", EXPIRED_KEY, Optional.of(Instant.parse("2020-01-01T00:00:00Z")))
                .key("alice", "later-key", LATER_KEY, Optional.of(Instant.parse("2100-01-01T00:00:00Z")))
                .user("bob", "bob's password", "user").key("bob", "bob-key", BOB_KEY)
                .user("gus", "gus's password", "guest").key("gus", "guest-key", GUEST_KEY)
                .user("dave", "dave's password", "user")
                .user("erin", "erin's password", "user")
                .user("frank", "frank's password", "user")
                .user("grace", "grace's password", "user");
    }

    private static ServerOptions options(Path dataDirectory, AccessPolicy access) {
        return new ServerOptions("127.0.0.1", 0, dataDirectory, TestPlugins.shipped(), false, 1 << 20,
                Duration.ofMinutes(10), access);
    }

    private static SwarmApiClient.Response newSession(Map<String, String> headers) {
        return new SwarmApiClient(server.url(), headers).postRaw("GetNewSession", "{}");
    }

    private static Map<String, String> bearer(String key) {
        return Map.of("Authorization", "Bearer " + key);
    }

    @Test
    void anApiKeyGivesASessionOfItsUserWithTheirRolesPermissions() {
        SwarmApiClient.Response answer = newSession(bearer(ALICE_KEY));
        assertThat(answer.status()).isEqualTo(200);
        JsonObject session = answer.json();
        assertThat(session.get("user_id").getAsString()).isEqualTo("alice");
        assertThat(session.get("session_id").getAsString()).isNotEmpty();
        assertThat(new TreeSet<>(strings(session.getAsJsonArray("permissions"))))
                .isEqualTo(new TreeSet<>(role("user").permissions()))
                .contains("basic_image_generation").doesNotContain("view_backends_list", "manage_users");

        // The session acts as alice: her generation routes work, the backends' are refused.
        String id = session.get("session_id").getAsString();
        SwarmApiClient plain = new SwarmApiClient(server.url());
        assertThat(plain.postRaw("ListOutputs", "{\"session_id\":\"" + id + "\"}").json().get("total").getAsInt())
                .isEqualTo(1);
        assertThat(plain.postRaw("ListBackends", "{\"session_id\":\"" + id + "\"}").json().get("error_id")
                .getAsString()).isEqualTo("bad_permissions");

        // The scheme is matched ignoring case, as HTTP says.
        assertThat(newSession(Map.of("Authorization", "bearer " + ADMIN_KEY)).json().get("user_id").getAsString())
                .isEqualTo("admin");
        assertThat(newSession(bearer(LATER_KEY)).json().get("user_id").getAsString()).isEqualTo("alice");
    }

    @Test
    void anExpiredKeyIsRefused() {
        SwarmApiClient.Response answer = newSession(bearer(EXPIRED_KEY));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().keySet()).containsExactly("error");
        assertThat(answer.json().get("error").getAsString())
                .isEqualTo("The API key 'label of expired-key' expired at 2020-01-01T00:00:00Z.");
    }

    @Test
    void anUnknownKeyIsRefused() {
        for (String key : List.of("sb_no_such_key", ALICE_KEY + "x", ALICE_KEY.toUpperCase(java.util.Locale.ROOT),
                TestAccounts.sha256(ALICE_KEY))) {
            SwarmApiClient.Response answer = newSession(bearer(key));
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.json().keySet()).as(key).containsExactly("error");
            assertThat(answer.json().get("error").getAsString())
                    .isEqualTo("The API key is not valid: it is unknown or was revoked.");
        }
    }

    @Test
    void noCredentialsGiveAnAnonymousSessionWithoutPermissions() {
        JsonObject session = newSession(Map.of()).json();
        assertThat(session.get("user_id").getAsString()).isEmpty();
        assertThat(session.getAsJsonArray("permissions")).isEmpty();
        // A cookie that names no login is no login; SwarmUI's user header counts for nothing with accounts.
        JsonObject cookie = newSession(Map.of("Cookie", "swarm_token=not-a-login", "X-SWARM-USER_ID", "admin"))
                .json();
        assertThat(cookie.get("user_id").getAsString()).isEmpty();
        assertThat(cookie.getAsJsonArray("permissions")).isEmpty();
    }

    @Test
    void aUsersOutputsAreServedToThemAndToAnAdminOnly() throws Exception {
        String path = "/View/alice/" + IMAGE.replace(" ", "%20");
        HttpResponse<byte[]> own = get(path, bearer(ALICE_KEY));
        assertThat(own.statusCode()).isEqualTo(200);
        assertThat(own.body()).isEqualTo(IMAGE_BYTES);
        assertThat(own.headers().firstValue("Content-Type")).contains("image/png");

        HttpResponse<byte[]> admin = get(path, bearer(ADMIN_KEY));
        assertThat(admin.statusCode()).isEqualTo(200);
        assertThat(admin.body()).isEqualTo(IMAGE_BYTES);

        String unauthorized = "{\"error\":\"unauthorized - you may not view other users' outputs\","
                + "\"error_id\":\"unauthorized\"}";
        for (Map<String, String> other : List.of(bearer(BOB_KEY), bearer(GUEST_KEY), Map.<String, String>of(),
                bearer(EXPIRED_KEY), bearer("sb_no_such_key"))) {
            HttpResponse<byte[]> refused = get(path, other);
            assertThat(refused.statusCode()).as("%s", other).isEqualTo(400);
            assertThat(new String(refused.body(), UTF_8)).as("%s", other).isEqualTo(unauthorized);
        }
        // The legacy /Output/ path is the caller's own folder: bob has no such file.
        assertThat(get("/Output/" + IMAGE.replace(" ", "%20"), bearer(ALICE_KEY)).body()).isEqualTo(IMAGE_BYTES);
        assertThat(get("/Output/" + IMAGE.replace(" ", "%20"), bearer(BOB_KEY)).statusCode()).isEqualTo(404);
    }

    @Test
    void metricsNeedViewServerMetrics() throws Exception {
        HttpResponse<byte[]> anonymous = get("/metrics", Map.of());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(json(anonymous).get("error").getAsString()).isNotEmpty();
        assertThat(get("/metrics", bearer(EXPIRED_KEY)).statusCode()).isEqualTo(401);
        assertThat(get("/metrics", bearer("sb_no_such_key")).statusCode()).isEqualTo(401);
        HttpResponse<byte[]> user = get("/metrics", bearer(ALICE_KEY));
        assertThat(user.statusCode()).isEqualTo(403);
        assertThat(json(user).get("error").getAsString()).contains("view_server_metrics");
        HttpResponse<byte[]> admin = get("/metrics", bearer(ADMIN_KEY));
        assertThat(admin.statusCode()).isEqualTo(200);
        assertThat(new String(admin.body(), UTF_8)).contains("switchboard_http_requests_seconds");
    }

    @Test
    void theOpenApiDocumentNeedsALoggedInCaller() throws Exception {
        assertThat(get("/openapi.json", Map.of()).statusCode()).isEqualTo(401);
        HttpResponse<byte[]> guest = get("/openapi.json", bearer(GUEST_KEY));
        assertThat(guest.statusCode()).isEqualTo(200);
        assertThat(json(guest).getAsJsonObject("paths").keySet()).contains("/API/GetNewSession");
    }

    @Test
    void comfyBackendDirectNeedsALoggedInCaller() throws Exception {
        assertThat(get("/ComfyBackendDirect/object_info", Map.of()).statusCode()).isEqualTo(401);
        assertThat(get("/ComfyBackendDirect/object_info", bearer(GUEST_KEY)).statusCode()).isNotIn(401, 403);
    }

    @Test
    void theProbesAndThePageNeedNothing() throws Exception {
        assertThat(get("/healthz", Map.of()).statusCode()).isEqualTo(200);
        assertThat(get("/readyz", Map.of()).statusCode()).isEqualTo(200);
        HttpResponse<byte[]> page = get("/", Map.of());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
    }

    @Test
    void aUsersFileBesideARequiredAuthorizationRefusesTheStart() throws Exception {
        Path other = temp.resolve("other-data");
        accounts().writeTo(other);
        byte[] before = Files.readAllBytes(other.resolve(AccountsFile.FILE_NAME));
        AccessPolicy required = new AccessPolicy(Optional.of("Bearer shared"), Set.of(), Set.of(), Optional.empty());
        assertThatThrownBy(() -> SwitchboardServer.start(options(other, required)).close())
                .isInstanceOf(StartupException.class)
                .hasMessage("The users file " + other.toAbsolutePath().normalize().resolve(AccountsFile.FILE_NAME)
                        + " has users, so requests are checked by login or API key (Authorization: Bearer <key>);"
                        + " --required-authorization (or SWITCHBOARD_REQUIRED_AUTHORIZATION) cannot be combined"
                        + " with accounts. Remove it, and give scripts an API key instead.");
        assertThat(Files.readAllBytes(other.resolve(AccountsFile.FILE_NAME))).isEqualTo(before);
        // Without the flag the same data directory starts (the refused start released it).
        SwitchboardServer.start(options(other, AccessPolicy.LOOPBACK_DEFAULTS)).close();
    }

    @Test
    void aLoginSetsAStrictHttpOnlyCookieThatActsAsTheUserUntilLogout() throws Exception {
        HttpResponse<String> login = login("Dave", "dave's password");
        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(JsonParser.parseString(login.body()).getAsJsonObject().get("success").getAsString())
                .isEqualTo("true");
        String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        List<String> attributes = List.of(setCookie.split(";\\s*"));
        assertThat(attributes.get(0)).startsWith("swarm_token=").hasSizeGreaterThan("swarm_token=".length() + 20)
                .doesNotContain("dave");
        assertThat(attributes.subList(1, attributes.size())).contains("HttpOnly", "SameSite=Strict", "Path=/")
                .anyMatch(attribute -> attribute.startsWith("Max-Age=") && !attribute.equals("Max-Age=0"));
        Map<String, String> cookie = Map.of("Cookie", attributes.get(0));

        JsonObject session = newSession(cookie).json();
        assertThat(session.get("user_id").getAsString()).isEqualTo("dave");
        assertThat(new TreeSet<>(strings(session.getAsJsonArray("permissions"))))
                .isEqualTo(new TreeSet<>(role("user").permissions()));
        String id = session.get("session_id").getAsString();
        assertThat(call(id, "ListOutputs", Map.of()).status()).isEqualTo(200);
        assertThat(call(id, "GetMyUserData", Map.of()).json().get("user_name").getAsString()).isEqualTo("dave");

        HttpResponse<String> logout = post("Logout", "{\"session_id\":\"" + id + "\"}", cookie);
        assertThat(logout.statusCode()).isEqualTo(200);
        assertThat(logout.headers().firstValue("Set-Cookie").orElseThrow()).startsWith("swarm_token=")
                .contains("Max-Age=0");
        assertThat(call(id, "ListOutputs", Map.of()).status()).as("the session made through the login").isEqualTo(401);
        JsonObject after = newSession(cookie).json();
        assertThat(after.get("user_id").getAsString()).as("the ended login's cookie").isEmpty();
        assertThat(after.getAsJsonArray("permissions")).isEmpty();
    }

    @Test
    void aWrongPasswordAndAnUnknownNameFailAlike() throws Exception {
        JsonObject wrong = JsonParser.parseString(login("dave", "not dave's password").body()).getAsJsonObject();
        JsonObject unknown = JsonParser.parseString(login("nobody", "dave's password").body()).getAsJsonObject();
        assertThat(wrong.get("error_id").getAsString()).isEqualTo("invalid_login");
        assertThat(unknown).isEqualTo(wrong);
        assertThat(login("dave", "not dave's password").headers().firstValue("Set-Cookie")).isEmpty();
    }

    @Test
    void aRevokedKeyAndItsSessionsAreRefused() throws Exception {
        String frank = loginSession("frank", "frank's password");
        JsonObject created = call(frank, "CreateAPIKey", Map.of("label", "\"render farm\"", "expires_days", "1"))
                .json();
        String key = created.get("key").getAsString();
        String keyId = created.get("id").getAsString();
        assertThat(Instant.parse(created.get("expires").getAsString()))
                .isBetween(Instant.now().plus(Duration.ofHours(23)), Instant.now().plus(Duration.ofHours(25)));
        JsonObject keySession = newSession(bearer(key)).json();
        assertThat(keySession.get("user_id").getAsString()).isEqualTo("frank");
        String keySessionId = keySession.get("session_id").getAsString();
        assertThat(call(keySessionId, "ListOutputs", Map.of()).status()).isEqualTo(200);
        assertThat(call(frank, "ListAPIKeys", Map.of()).body()).contains(keyId).doesNotContain(key);

        // Another user cannot revoke it, nor learn it exists.
        String bob = newSession(bearer(BOB_KEY)).json().get("session_id").getAsString();
        JsonObject notBobs = call(bob, "RevokeAPIKey", Map.of("id", "\"" + keyId + "\"")).json();
        assertThat(notBobs.get("error").getAsString()).isEqualTo("No API key has the id '" + keyId + "'.");
        assertThat(newSession(bearer(key)).json().get("user_id").getAsString()).isEqualTo("frank");

        assertThat(call(frank, "RevokeAPIKey", Map.of("id", "\"" + keyId + "\"")).json().has("error")).isFalse();
        assertThat(newSession(bearer(key)).json().get("error").getAsString())
                .isEqualTo("The API key is not valid: it is unknown or was revoked.");
        assertThat(call(keySessionId, "ListOutputs", Map.of()).status()).as("the revoked key's session").isEqualTo(401);
        assertThat(get("/metrics", bearer(key)).statusCode()).isEqualTo(401);
        assertThat(call(frank, "ListOutputs", Map.of()).status()).as("frank's login session").isEqualTo(200);
    }

    @Test
    void changingOnesPasswordEndsTheOldOneAndTheOtherLogins() throws Exception {
        Map<String, String> other = cookieOf(login("erin", "erin's password"));
        Map<String, String> cookie = cookieOf(login("erin", "erin's password"));
        String erin = newSession(cookie).json().get("session_id").getAsString();
        JsonObject wrongOld = call(erin, "ChangePassword", Map.of("oldPassword", "\"not erin's password\"",
                "newPassword", "\"erin's new password\"")).json();
        assertThat(wrongOld.get("error").getAsString()).isEqualTo("The old password is not correct.");
        assertThat(newSession(other).json().get("user_id").getAsString())
                .as("the other login after a refused change").isEqualTo("erin");

        JsonObject changed = call(erin, "ChangePassword", Map.of("oldPassword", "\"erin's password\"",
                "newPassword", "\"erin's new password\"")).json();
        assertThat(changed.has("error")).as("%s", changed).isFalse();
        assertThat(JsonParser.parseString(login("erin", "erin's password").body()).getAsJsonObject()
                .get("error_id").getAsString()).isEqualTo("invalid_login");
        assertThat(JsonParser.parseString(login("erin", "erin's new password").body()).getAsJsonObject()
                .get("success").getAsString()).isEqualTo("true");
        assertThat(newSession(other).json().get("user_id").getAsString()).as("the other login's cookie").isEmpty();
        assertThat(newSession(cookie).json().get("user_id").getAsString()).as("the login that changed it")
                .isEqualTo("erin");
        assertThat(call(erin, "ListOutputs", Map.of()).status()).isEqualTo(200);
    }

    /** An admin resets a password because it leaked: whoever used it must lose the sessions they made with it. */
    @Test
    void anAdminsPasswordResetEndsTheUsersLoginSessions() throws Exception {
        Map<String, String> cookie = cookieOf(login("grace", "grace's password"));
        String grace = newSession(cookie).json().get("session_id").getAsString();
        String admin = newSession(bearer(ADMIN_KEY)).json().get("session_id").getAsString();
        JsonObject reset = call(admin, "AdminSetUserPassword", Map.of("name", "\"grace\"", "password",
                "\"grace's new password\"")).json();
        assertThat(reset.has("error")).as("%s", reset).isFalse();
        assertThat(newSession(cookie).json().get("user_id").getAsString()).as("the login's cookie").isEmpty();
        // Logout and RevokeAPIKey end the sessions made through what they end; a reset must too.
        assertThat(call(grace, "ListOutputs", Map.of()).status()).as("a session made through the reset password's"
                + " login").isEqualTo(401);
    }

    private static Map<String, String> cookieOf(HttpResponse<String> login) {
        return Map.of("Cookie", login.headers().firstValue("Set-Cookie").orElseThrow(
                () -> new AssertionError("no login cookie: " + login.body())).split(";")[0]);
    }

    private HttpResponse<String> login(String name, String password) throws Exception {
        JsonObject body = new JsonObject();
        body.addProperty("username", name);
        body.addProperty("password", password);
        return post("Login", body.toString(), Map.of());
    }

    /** Logs in and returns a session made with the login cookie. */
    private String loginSession(String name, String password) throws Exception {
        JsonObject session = newSession(cookieOf(login(name, password))).json();
        assertThat(session.get("user_id").getAsString()).isEqualTo(name);
        return session.get("session_id").getAsString();
    }

    /** Calls a route with a session and parameters given as JSON texts. */
    private static SwarmApiClient.Response call(String session, String route, Map<String, String> parameters) {
        StringBuilder body = new StringBuilder("{\"session_id\":\"" + session + "\"");
        parameters.forEach((name, json) -> body.append(",\"").append(name).append("\":").append(json));
        return new SwarmApiClient(server.url()).postRaw(route, body.append('}').toString());
    }

    private HttpResponse<String> post(String route, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + "/API/" + route))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, UTF_8));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(UTF_8));
    }

    private HttpResponse<byte[]> get(String path, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path))
                .timeout(Duration.ofSeconds(30)).GET();
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static JsonObject json(HttpResponse<byte[]> response) {
        return JsonParser.parseString(new String(response.body(), UTF_8)).getAsJsonObject();
    }

    private static Role role(String name) {
        return BuiltInRoles.all().stream().filter(role -> role.name().equals(name)).findFirst().orElseThrow();
    }

    private static List<String> strings(JsonArray array) {
        List<String> all = new ArrayList<>();
        for (JsonElement element : array) {
            all.add(element.getAsString());
        }
        return all;
    }
}
