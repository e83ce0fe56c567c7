package dev.switchboard.server.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.http.ApiClient.Reply;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.util.Headers;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The guard in front of a handler that answers "passed", on a real Undertow, with requests written byte by byte. */
final class AccessGuardHandlerTest {

    private static final String SECRET = "Bearer canary-7f3a";
    private static final AccessPolicy LOCKED_DOWN = new AccessPolicy(Optional.of(SECRET), Set.of("Box.LAN"),
            Set.of("http://tools.lan:8080/"), Optional.empty());
    private static final HttpHandler PASSED = exchange -> {
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, 6);
        exchange.getResponseSender().send(ByteBuffer.wrap("passed".getBytes(UTF_8)));
    };

    private Undertow undertow;
    private ApiClient client;

    @AfterEach
    void stop() {
        if (undertow != null) {
            undertow.stop();
        }
    }

    @Test
    void aMissingOrWrongAuthorizationGets401WithSwarmsPlainBody() {
        start(LOCKED_DOWN);
        for (String authorization : new String[] {null, "", "Bearer canary-7f3", "Bearer canary-7f3ab",
                "bearer canary-7f3a"}) {
            Reply reply = get("/API/ListBackends", "localhost", authorization, null);
            assertThat(reply.status()).as("Authorization %s", authorization).isEqualTo(401);
            assertThat(reply.body()).isEqualTo("Unauthorized");
            assertThat(reply.header("content-type")).startsWith("text/plain");
        }
        assertThat(get("/", "localhost", "nope", null).status()).as("the web page").isEqualTo(401);
    }

    @Test
    void theExactAuthorizationPasses() {
        start(LOCKED_DOWN);
        assertThat(get("/API/ListBackends", "localhost:7801", SECRET, null).body()).isEqualTo("passed");
        assertThat(get("/", "127.0.0.1", SECRET, null).body()).isEqualTo("passed");
    }

    @Test
    void twoAuthorizationHeadersAreRefusedEvenIfOneMatches() {
        start(LOCKED_DOWN);
        Reply reply = client.raw("GET / HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + SECRET
                + "\r\nAuthorization: x\r\nContent-Length: 0\r\n\r\n", new byte[0]);
        assertThat(reply.status()).isEqualTo(401);
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "LOCALHOST:1", "127.0.0.1", "127.0.0.1:7801", "[::1]", "[::1]:80",
        "box.lan", "BOX.lan:9000"})
    void loopbackNamesTheBoundHostAndAllowedHostsPass(String host) {
        start(LOCKED_DOWN);
        assertThat(get("/API/ListBackends", host, SECRET, null).body()).isEqualTo("passed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"evil.example", "evil.example:7801", "localhost.evil.example", "box.lan.evil",
        "127.0.0.2", "[::2]", ":7801"})
    void otherHostsGetBadHostBeforeAuthorizationIsEvenLookedAt(String host) {
        start(LOCKED_DOWN);
        Reply api = get("/API/ListBackends", host, SECRET, null);
        assertThat(api.status()).isEqualTo(400);
        assertThat(api.body()).isEqualTo("{\"error_id\":\"bad_host\",\"error\":"
                + "\"The Host header names an address this server does not accept\"}");
        Reply page = get("/", host, null, null);
        assertThat(page.status()).isEqualTo(400);
        assertThat(page.body()).isEmpty();
    }

    /** Undertow refuses some of these itself, before the guard runs; either way they never pass. */
    @ParameterizedTest
    @ValueSource(strings = {"localhost:port", "[::1", "localhost:7801:1", "localhost evil"})
    void malformedHostsAreRefused(String host) {
        start(LOCKED_DOWN);
        Reply reply = get("/API/ListBackends", host, SECRET, null);
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body()).isNotEqualTo("passed");
    }

    @Test
    void aRequestWithoutHostIsAcceptedFromLoopback() {
        start(AccessPolicy.LOOPBACK_DEFAULTS);
        Reply reply = client.raw("GET / HTTP/1.0\r\n\r\n", new byte[0]);
        assertThat(reply.body()).isEqualTo("passed");
    }

    @ParameterizedTest
    @CsvSource({"http://localhost:7801, localhost:7801", "http://127.0.0.1, 127.0.0.1", "http://127.0.0.1:80, 127.0.0.1",
        "http://[::1]:7801, [::1]:7801", "http://tools.lan:8080, localhost:7801", "HTTP://Tools.lan:8080/, localhost"})
    void postsFromTheSameOriginOrAnAllowedOnePass(String origin, String host) {
        start(LOCKED_DOWN);
        assertThat(post("/API/ListBackends", host, SECRET, origin).body()).isEqualTo("passed");
    }

    @ParameterizedTest
    @CsvSource({"http://evil.example, localhost:7801", "http://localhost:7802, localhost:7801",
        "https://localhost:7801, localhost:7801", "null, localhost:7801", "http://tools.lan:8081, localhost",
        "http://localhost:7801/x, localhost:7801", "http://user@localhost:7801, localhost:7801"})
    void postsFromOtherOriginsGetBadOrigin(String origin, String host) {
        start(LOCKED_DOWN);
        Reply reply = post("/API/ListBackends", host, SECRET, origin);
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body()).isEqualTo(
                "{\"error_id\":\"bad_origin\",\"error\":\"Requests from this Origin are not accepted\"}");
    }

    @Test
    void getsAreNotOriginChecked() {
        start(LOCKED_DOWN);
        assertThat(get("/", "localhost", SECRET, "http://evil.example").body()).isEqualTo("passed");
    }

    @Test
    void noCorsHeadersAndNoPreflightAnswerByDefault() {
        start(AccessPolicy.LOOPBACK_DEFAULTS);
        Reply reply = client.raw("OPTIONS /API/ListBackends HTTP/1.1\r\nHost: localhost\r\nOrigin: http://ui.lan\r\n"
                + "Access-Control-Request-Method: POST\r\nContent-Length: 0\r\n\r\n", new byte[0]);
        assertThat(reply.body()).isEqualTo("passed");
        assertThat(reply.header("access-control-allow-origin")).isNull();
        assertThat(get("/", "localhost", null, null).header("access-control-allow-origin")).isNull();
    }

    @Test
    void aCorsOriginGetsTheHeaderPreflightsAndItsPosts() {
        start(new AccessPolicy(Optional.of(SECRET), Set.of(), Set.of(), Optional.of("http://ui.lan:3000")));
        Reply preflight = client.raw("OPTIONS /API/ListBackends HTTP/1.1\r\nHost: localhost\r\n"
                + "Origin: http://ui.lan:3000\r\nAccess-Control-Request-Method: POST\r\n"
                + "Access-Control-Request-Headers: content-type, authorization\r\nContent-Length: 0\r\n\r\n",
                new byte[0]);
        assertThat(preflight.status()).as("preflights carry no Authorization").isEqualTo(204);
        assertThat(preflight.header("access-control-allow-origin")).isEqualTo("http://ui.lan:3000");
        assertThat(preflight.header("access-control-allow-headers")).isEqualTo("content-type, authorization");
        Reply post = post("/API/ListBackends", "localhost", SECRET, "http://ui.lan:3000");
        assertThat(post.body()).isEqualTo("passed");
        assertThat(post.header("access-control-allow-origin")).isEqualTo("http://ui.lan:3000");
    }

    @Test
    void hostNamesAreParsedWithoutTheirPort() {
        assertThat(AccessGuardHandler.hostName("Example.COM:80")).contains("example.com");
        assertThat(AccessGuardHandler.hostName("[::1]:7801")).contains("[::1]");
        assertThat(AccessGuardHandler.hostName("[::1]x")).isEmpty();
        assertThat(AccessGuardHandler.hostName("")).isEmpty();
    }

    @Test
    void thePolicyNeverPrintsTheSecret() {
        assertThat(LOCKED_DOWN.toString()).doesNotContain("canary").contains("<set>");
    }

    private Reply get(String path, String host, String authorization, String origin) {
        return client.raw("GET " + path + " HTTP/1.1\r\n" + headers(host, authorization, origin)
                + "Content-Length: 0\r\n\r\n", new byte[0]);
    }

    private Reply post(String path, String host, String authorization, String origin) {
        return client.raw("POST " + path + " HTTP/1.1\r\n" + headers(host, authorization, origin)
                + "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n", "{}".getBytes(UTF_8));
    }

    private static String headers(String host, String authorization, String origin) {
        return "Host: " + host + "\r\n" + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
                + (origin == null ? "" : "Origin: " + origin + "\r\n");
    }

    private void start(AccessPolicy policy) {
        undertow = Undertow.builder().addHttpListener(0, "127.0.0.1")
                .setHandler(new AccessGuardHandler("127.0.0.1", policy, PASSED)).build();
        undertow.start();
        client = new ApiClient(((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort());
    }
}
