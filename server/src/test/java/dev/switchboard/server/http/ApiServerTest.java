package dev.switchboard.server.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.switchboard.server.http.ApiClient.Reply;
import dev.switchboard.server.sessions.Permission;
import dev.switchboard.server.sessions.SessionService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The envelope, end to end: a real Undertow on a loopback port and a real HTTP client. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class ApiServerTest {

    private static final long MAX_REQUEST_BYTES = 64 * 1024;

    private static final String WRONG_CONTENT_TYPE = "{\"error_id\":\"basic_api\",\"error\":\"Wrong content type\"}";
    private static final String BAD_CONTENT_LENGTH = "{\"error_id\":\"basic_api\",\"error\":\"bad content length\"}";
    private static final String MISSING_SESSION = "{\"error_id\":\"basic_api\",\"error\":\"missing session id\"}";
    private static final String INVALID_SESSION =
            "{\"error\":\"Invalid session ID. You may need to refresh the page.\",\"error_id\":\"invalid_session_id\"}";
    private static final String BAD_ROUTE = "{\"error_id\":\"bad_route\",\"error\":\"Unknown API route\"}";
    private static final String NEEDS_WEBSOCKET =
            "{\"error_id\":\"bad_request_method\",\"error\":\"API route needs websocket, request is HTTP\"}";
    private static final String BAD_PERMISSIONS =
            "{\"error_id\":\"bad_permissions\",\"error\":\"You lack permissions for this route.\"}";
    private static final String NO_RESULT =
            "{\"error_id\":\"no_result\",\"error\":\"API call did not return any output\"}";
    private static final String INTERNAL_ERROR =
            "{\"error_id\":\"internal_error\",\"error\":\"An internal error occurred\"}";

    private final SessionService sessions = new SessionService();
    private final CountDownLatch slowEntered = new CountDownLatch(1);
    private final CountDownLatch slowRelease = new CountDownLatch(1);
    private ApiServer server;
    private ApiClient client;
    private String owner;
    private String viewer;

    @BeforeAll
    void startServer() {
        Set<ApiRoute> routes = Set.of(
                TestRoute.of("ListBackends", Permission.VIEW_BACKENDS_LIST, call -> {
                    JsonObject result = new JsonObject();
                    result.add("current_model", null);
                    result.addProperty("id", 1);
                    result.addProperty("html", "<b>&'=</b>");
                    result.addProperty("unicode", "é✓");
                    return result;
                }),
                TestRoute.of("EditBackend", Permission.EDIT_BACKENDS, call -> {
                    JsonObject result = new JsonObject();
                    result.add("raw_inp", call.bodyWithoutSessionId());
                    result.addProperty("user", call.session().orElseThrow().userId());
                    return result;
                }),
                TestRoute.of("ToggleBackend", Permission.TOGGLE_BACKENDS, call -> {
                    int backendId = call.requiredInt("backend_id");
                    boolean enabled = call.requiredBool("enabled");
                    JsonObject result = new JsonObject();
                    result.addProperty("backend_id", backendId);
                    result.addProperty("enabled", enabled);
                    return result;
                }),
                TestRoute.of("WhereAmI", Permission.VIEW_BACKENDS_LIST, call -> {
                    JsonObject result = new JsonObject();
                    result.addProperty("thread", Thread.currentThread().getName());
                    result.addProperty("custom", call.header("x-custom").orElse("none"));
                    return result;
                }),
                TestRoute.of("Explode", Permission.VIEW_BACKENDS_LIST, call -> {
                    throw new IllegalStateException("secret detail 42");
                }),
                TestRoute.of("ExplodeHard", Permission.VIEW_BACKENDS_LIST, call -> {
                    throw new StackOverflowError("deep secret 43");
                }),
                TestRoute.of("NotJson", Permission.VIEW_BACKENDS_LIST, call -> {
                    JsonObject result = new JsonObject();
                    result.addProperty("value", Double.NaN);
                    return result;
                }),
                TestRoute.of("Nothing", Permission.VIEW_BACKENDS_LIST, call -> null),
                TestRoute.of("RouteError", Permission.VIEW_BACKENDS_LIST, call -> {
                    throw new ApiError("Invalid backend ID 99 <b>'&'</b> \"q\"");
                }),
                TestRoute.of("Slow", Permission.VIEW_BACKENDS_LIST, call -> {
                    slowEntered.countDown();
                    if (!slowRelease.await(30, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("never released");
                    }
                    return new JsonObject();
                }),
                TestRoute.sessionless("GetNewSession", call -> {
                    JsonObject result = new JsonObject();
                    result.addProperty("session_id",
                            sessions.create(call.header("X-SWARM-USER_ID").orElse("local")).id());
                    result.addProperty("had_session", call.session().isPresent());
                    return result;
                }),
                TestRoute.webSocket("GenerateText2ImageWS", Permission.VIEW_BACKENDS_LIST));
        server = new ApiServer(new HttpOptions("127.0.0.1", 0, MAX_REQUEST_BYTES), routes, sessions);
        server.start();
        client = new ApiClient(server.port());
        owner = sessions.create("local").id();
        viewer = sessions.create("viewer", List.of("view_backends_list")).id();
    }

    @AfterAll
    void stopServer() {
        slowRelease.countDown();
        server.close();
    }

    private static String withSession(String sessionId) {
        return "{\"session_id\":\"" + sessionId + "\"}";
    }

    private static void assertJson(Reply reply, int status, String body) {
        assertThat(reply.status()).as("status of %s", reply.body()).isEqualTo(status);
        assertThat(reply.body()).isEqualTo(body);
        assertThat(reply.header("Content-Type")).isEqualTo("application/json");
        assertThat(reply.header("Cache-Control")).isEqualTo("no-store");
        assertThat(reply.header("Content-Length")).isEqualTo(String.valueOf(body.getBytes(UTF_8).length));
    }

    @Test
    void answersWithTheRouteResultAsCompactJsonKeepingNullsAndHtml() {
        Reply reply = client.post("/API/ListBackends", withSession(owner));

        assertJson(reply, 200,
                "{\"current_model\":null,\"id\":1,\"html\":\"<b>&'=</b>\",\"unicode\":\"é✓\"}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "PUT", "DELETE", "OPTIONS", "HEAD", "PATCH"})
    void redirectsEveryMethodButPost(String method) {
        Reply reply = client.send(method, "/API/ListBackends");

        assertThat(reply.status()).isEqualTo(302);
        assertThat(reply.header("Location")).isEqualTo("/Error/NoGetAPI");
        assertThat(reply.body()).isEmpty();
    }

    @Test
    void redirectsGetEvenForUnknownRoutes() {
        Reply reply = client.send("GET", "/api/whatever");

        assertThat(reply.status()).isEqualTo(302);
        assertThat(reply.header("Location")).isEqualTo("/Error/NoGetAPI");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/listbackends", "/API/LISTBACKENDS", "/Api/listBackends", "/API/ListBackends?x=1"})
    void matchesRoutesIgnoringCase(String path) {
        assertThat(client.post(path, withSession(owner)).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/API/ListBackends/", "/API/", "/API/List Backends", "/API/x/ListBackends"})
    void treatsOtherKeysAsUnknownRoutes(String path) {
        String encoded = path.replace(" ", "%20");

        assertJson(client.post(encoded, withSession(owner)), 400, BAD_ROUTE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json; charset=utf-8", "application/vnd.x+json", "APPLICATION/JSON"})
    void acceptsJsonContentTypes(String contentType) {
        Reply reply = client.post("/API/ListBackends", contentType, withSession(owner).getBytes(UTF_8), Map.of());

        assertThat(reply.status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "application/jsonp"})
    void refusesOtherContentTypes(String contentType) {
        Reply reply = client.post("/API/ListBackends", contentType, withSession(owner).getBytes(UTF_8), Map.of());

        assertJson(reply, 400, WRONG_CONTENT_TYPE);
    }

    @Test
    void refusesAMissingContentType() {
        Reply reply = client.post("/API/ListBackends", null, withSession(owner).getBytes(UTF_8), Map.of());

        assertJson(reply, 400, WRONG_CONTENT_TYPE);
    }

    @Test
    void refusesAMissingContentLength() {
        Reply reply = client.raw("POST /API/ListBackends HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\n\r\n", new byte[0]);

        assertJson(reply, 400, BAD_CONTENT_LENGTH);
    }

    @Test
    void refusesAZeroContentLengthEvenForSessionlessRoutes() {
        Reply reply = client.raw("POST /API/GetNewSession HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nContent-Length: 0\r\n\r\n", new byte[0]);

        assertJson(reply, 400, BAD_CONTENT_LENGTH);
    }

    @Test
    void refusesAnOversizedBodyWithoutReadingIt() {
        // Claims 100 MB but sends a few bytes: a server that waited for the body would never answer.
        Reply reply = client.raw("POST /API/ListBackends HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nContent-Length: 104857600\r\n\r\n", "{\"session".getBytes(UTF_8));

        assertJson(reply, 400, BAD_CONTENT_LENGTH);
    }

    @Test
    void refusesOneByteOverTheLimit() {
        Reply reply = client.raw("POST /API/ListBackends HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + (MAX_REQUEST_BYTES + 1) + "\r\n\r\n",
                "{".getBytes(UTF_8));

        assertJson(reply, 400, BAD_CONTENT_LENGTH);
    }

    @Test
    void acceptsABodyOfExactlyTheLimit() {
        String start = "{\"session_id\":\"" + owner + "\",\"pad\":\"";
        String end = "\"}";
        String body = start + "x".repeat((int) MAX_REQUEST_BYTES - start.length() - end.length()) + end;
        assertThat(body.getBytes(UTF_8)).hasSize((int) MAX_REQUEST_BYTES);

        assertThat(client.post("/API/ListBackends", body).status()).isEqualTo(200);
    }

    @Test
    void refusesAChunkedBody() {
        Reply reply = client.raw("POST /API/ListBackends HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
                "5\r\n{\"ses\r\n".getBytes(UTF_8));

        assertJson(reply, 400, BAD_CONTENT_LENGTH);
    }

    @Test
    void sendsContinueBeforeReadingABodyTheClientHoldsBack() {
        byte[] body = withSession(owner).getBytes(UTF_8);

        List<Reply> replies = client.expectingContinue("POST /API/ListBackends HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nExpect: 100-continue\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n", body);

        assertThat(replies).extracting(Reply::status).containsExactly(100, 200);
    }

    @Test
    void refusesWithoutContinueAndClosesWhenTheRequestIsRefusedUpFront() {
        List<Reply> replies = client.expectingContinue("POST /API/ListBackends HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: text/plain\r\nExpect: 100-continue\r\nContent-Length: 60\r\n\r\n", new byte[0]);

        assertThat(replies).hasSize(1);
        assertJson(replies.get(0), 400, WRONG_CONTENT_TYPE);
        assertThat(replies.get(0).header("Connection")).isEqualToIgnoringCase("close");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{", "}", "[1,2]", "[]", "\"text\"", "42", "null", "true", "{} {}", "{}x", "{},",
        "{'session_id':'abc'}", "{session_id:1}", "{\"a\":NaN}", "{\"a\":1,}", "// note\n{}", "{\"a\":01}",
        "{\"a\":\"tab\there\"}",
    })
    void answersMalformedJsonWithInternalError(String body) {
        assertJson(client.post("/API/ListBackends", body), 400, INTERNAL_ERROR);
    }

    @Test
    void answersDeeplyNestedJsonWithInternalError() {
        String body = "{\"a\":" + "[".repeat(20_000) + "]".repeat(20_000) + "}";

        assertJson(client.post("/API/ListBackends", body), 400, INTERNAL_ERROR);
    }

    @Test
    void answersInvalidUtf8WithInternalError() {
        byte[] prefix = ("{\"session_id\":\"" + owner + "\",\"title\":\"").getBytes(UTF_8);
        for (byte[] bad : List.of(new byte[] {(byte) 0xC3, '('}, new byte[] {(byte) 0xC0, (byte) 0xAF},
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xFF})) {
            byte[] body = new byte[prefix.length + bad.length + 2];
            System.arraycopy(prefix, 0, body, 0, prefix.length);
            System.arraycopy(bad, 0, body, prefix.length, bad.length);
            body[body.length - 2] = '"';
            body[body.length - 1] = '}';

            assertJson(client.post("/API/ListBackends", "application/json", body, Map.of()), 400, INTERNAL_ERROR);
        }
    }

    @Test
    void readsUtf8Bodies() {
        Reply reply = client.post("/API/EditBackend",
                "{\"session_id\":\"" + owner + "\",\"title\":\"Café ✓ 🎨\"}");

        assertJson(reply, 200, "{\"raw_inp\":{\"title\":\"Café ✓ 🎨\"},\"user\":\"local\"}");
    }

    @Test
    void takesTheLastOfDuplicateKeys() {
        Reply reply = client.post("/API/ListBackends",
                "{\"session_id\":\"nope\",\"session_id\":\"" + owner + "\"}");

        assertThat(reply.status()).isEqualTo(200);
    }

    @Test
    void refusesAMissingSessionId() {
        assertJson(client.post("/API/ListBackends", "{}"), 400, MISSING_SESSION);
    }

    @Test
    void refusesAnUnknownSessionIdWithTheExactBody() {
        assertJson(client.post("/API/ListBackends", withSession("0".repeat(40))), 401, INVALID_SESSION);
    }

    @ParameterizedTest
    @ValueSource(strings = {"null", "123", "\"\"", "true", "{}"})
    void stringifiesOtherSessionIdTokensAndFindsNoSession(String token) {
        assertJson(client.post("/API/ListBackends", "{\"session_id\":" + token + "}"), 401, INVALID_SESSION);
    }

    @Test
    void takesTheSessionFromTheHeaderWhenTheBodyHasNone() {
        assertThat(client.post("/API/ListBackends", "{}", Map.of("X-Session-ID", owner)).status())
                .isEqualTo(200);
        assertThat(client.post("/API/ListBackends", "{}", Map.of("x-session-id", owner)).status())
                .isEqualTo(200);
        assertJson(client.post("/API/ListBackends", "{}", Map.of("X-Session-ID", "nope")), 401, INVALID_SESSION);
    }

    @Test
    void prefersTheBodySessionIdOverTheHeader() {
        assertJson(client.post("/API/ListBackends", withSession("nope"), Map.of("X-Session-ID", owner)),
                401, INVALID_SESSION);
        assertJson(client.post("/API/ListBackends", "{\"session_id\":null}", Map.of("X-Session-ID", owner)),
                401, INVALID_SESSION);
        assertThat(client.post("/API/ListBackends", withSession(owner), Map.of("X-Session-ID", "nope")).status())
                .isEqualTo(200);
    }

    @Test
    void checksTheSessionBeforeTheRoute() {
        assertJson(client.post("/API/NoSuchRoute", "{}"), 400, MISSING_SESSION);
        assertJson(client.post("/API/NoSuchRoute", withSession("nope")), 401, INVALID_SESSION);
        assertJson(client.post("/API/NoSuchRoute", withSession(owner)), 400, BAD_ROUTE);
    }

    @Test
    void letsSessionlessRoutesRunWithoutASession() {
        Reply reply = client.post("/API/GetNewSession", "{}", Map.of("X-SWARM-USER_ID", "alice"));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).matches("\\{\"session_id\":\"[0-9a-f]{40}\",\"had_session\":false}");
        String created = reply.body().substring(15, 55);
        assertThat(sessions.find(created)).hasValueSatisfying(s -> assertThat(s.userId()).isEqualTo("alice"));
        assertThat(client.post("/API/getnewsession", withSession("nope")).status()).isEqualTo(200);
    }

    @Test
    void refusesWebSocketRoutesOverHttp() {
        assertJson(client.post("/API/GenerateText2ImageWS", withSession(owner)), 400, NEEDS_WEBSOCKET);
    }

    @Test
    void refusesRoutesTheSessionLacksPermissionFor() {
        assertJson(client.post("/API/EditBackend", withSession(viewer)), 400, BAD_PERMISSIONS);
        assertThat(client.post("/API/ListBackends", withSession(viewer)).status()).isEqualTo(200);
        assertThat(client.post("/API/EditBackend", withSession(owner)).status()).isEqualTo(200);
    }

    @Test
    void hidesHandlerExceptionsBehindInternalError() {
        Reply reply = client.post("/API/Explode", withSession(owner));

        assertJson(reply, 400, INTERNAL_ERROR);
        assertThat(reply.body()).doesNotContain("secret");
    }

    @Test
    void survivesErrorsThrownByHandlers() {
        assertJson(client.post("/API/ExplodeHard", withSession(owner)), 400, INTERNAL_ERROR);
        assertThat(client.post("/API/ListBackends", withSession(owner)).status()).isEqualTo(200);
    }

    @Test
    void answersResultsThatCannotBeWrittenAsJsonWithInternalError() {
        assertJson(client.post("/API/NotJson", withSession(owner)), 400, INTERNAL_ERROR);
    }

    @Test
    void answersANullResultWithNoResult() {
        assertJson(client.post("/API/Nothing", withSession(owner)), 400, NO_RESULT);
    }

    @Test
    void sendsRouteErrorsAsHttp200() {
        assertJson(client.post("/API/RouteError", withSession(owner)), 200,
                "{\"error\":\"Invalid backend ID 99 <b>'&'</b> \\\"q\\\"\"}");
    }

    @Test
    void sendsParameterErrorsAsHttp200WithSwarmUiTexts() {
        assertJson(client.post("/API/ToggleBackend",
                        "{\"session_id\":\"" + owner + "\",\"backend_id\":3.5,\"enabled\":true}"),
                200, "{\"error\":\"Invalid value '3.5' for parameter 'backend_id', must be type 'Int32'\"}");
        assertJson(client.post("/API/ToggleBackend",
                        "{\"session_id\":\"" + owner + "\",\"backend_id\":1,\"enabled\":1}"),
                200, "{\"error\":\"Invalid value '1' for parameter 'enabled', must be type 'Boolean'\"}");
        assertJson(client.post("/API/ToggleBackend", withSession(owner)),
                200, "{\"error\":\"Missing required parameter 'backend_id'\"}");
        assertJson(client.post("/API/ToggleBackend",
                        "{\"session_id\":\"" + owner + "\",\"backend_id\":{\"a\":1},\"enabled\":true}"),
                200, "{\"error\":\"Invalid value '{\\n  \\\"a\\\": 1\\n}' for parameter 'backend_id',"
                        + " must be type 'Int32'\"}");
        assertJson(client.post("/API/ToggleBackend",
                        "{\"session_id\":\"" + owner + "\",\"backend_id\":\" 3 \",\"enabled\":\"TRUE\"}"),
                200, "{\"backend_id\":3,\"enabled\":true}");
    }

    @Test
    void runsRoutesOnWorkerThreadsWithTheRequestHeaders() {
        Reply reply = client.post("/API/WhereAmI", withSession(owner), Map.of("X-Custom", "hello"));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).doesNotContain("I/O").contains("\"custom\":\"hello\"");
    }

    @Test
    void aBlockedRouteDoesNotHoldUpOtherRequests() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        CompletableFuture<HttpResponse<String>> slow = http.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/API/Slow"))
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(withSession(owner))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(slowEntered.await(20, TimeUnit.SECONDS)).isTrue();

        for (int i = 0; i < 5; i++) {
            assertThat(client.post("/API/ListBackends", withSession(owner)).status()).isEqualTo(200);
        }
        assertThat(slow).isNotDone();

        slowRelease.countDown();
        assertThat(slow.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
}
