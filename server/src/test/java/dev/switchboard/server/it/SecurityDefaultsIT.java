package dev.switchboard.server.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.bootstrap.ServerOptions;
import dev.switchboard.server.http.AccessPolicy;
import dev.switchboard.testkit.server.SwarmApiClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Security defaults on a real server: the required Authorization (SwarmUI's RequiredAuthorization), the Host
 * allow-list, the Origin check, opt-in CORS, and every route's session check. What needs the real entry point
 * (the refusal to expose an unauthenticated server, the environment variable, a canary secret in the DEBUG log)
 * is tested on the assembled distribution, in the distribution module.
 */
final class SecurityDefaultsIT {
    private static final String CANARY = "Bearer canary-b7e1d2c9";
    private static final String MISSING_SESSION = "{\"error_id\":\"basic_api\",\"error\":\"missing session id\"}";
    private static final String INVALID_SESSION =
            "{\"error\":\"Invalid session ID. You may need to refresh the page.\",\"error_id\":\"invalid_session_id\"}";

    @TempDir
    Path folder;

    @Test
    void aMissingOrWrongAuthorizationGetsSwarms401BeforeTheEnvelope() throws Exception {
        try (TestServer server = start(lockedDown(Optional.empty()))) {
            for (String authorization : new String[] {null, "Bearer canary", CANARY + "0", "Bearer canary-b7e1d2c8"}) {
                Reply api = raw(server, "POST", "/API/ListBackends", "localhost", authorization, null, "{}");
                assertThat(api.status()).isEqualTo(401);
                assertThat(api.body()).isEqualTo("Unauthorized");
            }
            // Not even a malformed request reaches the envelope without the header.
            Reply noJson = raw(server, "POST", "/API/ListBackends", "localhost", null, null, "not json");
            assertThat(noJson.status()).isEqualTo(401);
            assertThat(raw(server, "GET", "/", "localhost", null, null, null).body()).isEqualTo("Unauthorized");
        }
    }

    @Test
    void theRightAuthorizationReachesTheApiAndThePage() throws Exception {
        try (TestServer server = start(lockedDown(Optional.empty()))) {
            SwarmApiClient api = new SwarmApiClient(server.url(), Map.of("Authorization", CANARY));
            assertThat(api.call("ListBackends").has("error")).isFalse();
            Reply page = raw(server, "GET", "/", "127.0.0.1", CANARY, null, null);
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.body()).contains("<html");
        }
    }

    @Test
    void unknownHostsAreRefusedAndAllowedOnesAccepted() throws Exception {
        try (TestServer server = start(lockedDown(Optional.empty()))) {
            String session = session(server);
            String body = "{\"session_id\":\"" + session + "\"}";
            Reply rebound = raw(server, "POST", "/API/ListBackends", "attacker.example:7801", CANARY, null, body);
            assertThat(rebound.status()).isEqualTo(400);
            assertThat(rebound.body()).startsWith("{\"error_id\":\"bad_host\",\"error\":");
            Reply page = raw(server, "GET", "/", "attacker.example", CANARY, null, null);
            assertThat(page.status()).isEqualTo(400);
            assertThat(page.body()).isEmpty();
            for (String host : List.of("switchboard.lan:7801", "localhost", "[::1]:1", "127.0.0.1:" + port(server))) {
                Reply allowed = raw(server, "POST", "/API/ListBackends", host, CANARY, null, body);
                assertThat(allowed.status()).as(host).isEqualTo(200);
                assertThat(allowed.body()).as(host).doesNotContain("error");
            }
        }
    }

    @Test
    void crossOriginPostsAreRefusedUnlessAllowed() throws Exception {
        try (TestServer server = start(lockedDown(Optional.empty()))) {
            String body = "{\"session_id\":\"" + session(server) + "\"}";
            String host = "127.0.0.1:" + port(server);
            Reply evil = raw(server, "POST", "/API/AddNewBackend", host, CANARY, "http://evil.example", body
                    .replace("}", ",\"type_id\":\"fake_parent\"}"));
            assertThat(evil.status()).isEqualTo(400);
            assertThat(evil.body()).startsWith("{\"error_id\":\"bad_origin\",\"error\":");
            SwarmApiClient api = new SwarmApiClient(server.url(), Map.of("Authorization", CANARY));
            assertThat(api.call("ListBackends").size()).as("the refused add changed nothing").isZero();
            assertThat(raw(server, "POST", "/API/ListBackends", host, CANARY, "http://" + host, body).status())
                    .as("same origin").isEqualTo(200);
            assertThat(raw(server, "POST", "/API/ListBackends", host, CANARY, "http://tools.lan:9000", body).status())
                    .as("allowed origin").isEqualTo(200);
        }
    }

    @Test
    void noCorsHeadersUnlessConfigured() throws Exception {
        try (TestServer server = start(lockedDown(Optional.empty()))) {
            Reply preflight = raw(server, "OPTIONS", "/API/ListBackends", "localhost", null, "http://ui.lan",
                    null, "Access-Control-Request-Method: POST\r\n");
            assertThat(preflight.status()).isNotEqualTo(204);
            assertThat(preflight.header("access-control-allow-origin")).isNull();
            Reply page = raw(server, "GET", "/", "localhost", CANARY, "http://ui.lan", null);
            assertThat(page.header("access-control-allow-origin")).isNull();
        }
    }

    @Test
    void aConfiguredCorsOriginGetsPreflightsAndTheHeader() throws Exception {
        try (TestServer server = start(lockedDown(Optional.of("http://ui.lan:3000")))) {
            Reply preflight = raw(server, "OPTIONS", "/API/ListBackends", "localhost", null, "http://ui.lan:3000",
                    null, "Access-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: authorization\r\n");
            assertThat(preflight.status()).isEqualTo(204);
            assertThat(preflight.header("access-control-allow-origin")).isEqualTo("http://ui.lan:3000");
            String body = "{\"session_id\":\"" + session(server) + "\"}";
            Reply post = raw(server, "POST", "/API/ListBackends", "localhost", CANARY, "http://ui.lan:3000", body);
            assertThat(post.status()).isEqualTo(200);
            assertThat(post.header("access-control-allow-origin")).isEqualTo("http://ui.lan:3000");
        }
    }

    @Test
    void metricsAndTheApiDocsFollowTheApisRulesWhileTheProbesAnswerAnyone() throws Exception {
        try (TestServer server = start(lockedDown(Optional.empty()))) {
            for (String path : List.of("/metrics", "/openapi.json")) {
                Reply anonymous = raw(server, "GET", path, "localhost", null, null, null);
                assertThat(anonymous.status()).as(path).isEqualTo(401);
                assertThat(anonymous.body()).as(path).isEqualTo("Unauthorized");
                assertThat(raw(server, "GET", path, "attacker.example", CANARY, null, null).status()).as(path)
                        .isEqualTo(400);
                Reply allowed = raw(server, "GET", path, "switchboard.lan:7801", CANARY, null, null);
                assertThat(allowed.status()).as(path).isEqualTo(200);
                assertThat(allowed.body()).as(path).isNotEmpty();
            }
            // A kubelet sends no Authorization and names the pod's address in Host; the answers reveal nothing.
            for (String path : List.of("/healthz", "/readyz")) {
                Reply probe = raw(server, "GET", path, "10.1.2.3:7801", null, null, null);
                assertThat(probe.status()).as(path).isEqualTo(200);
                assertThat(probe.header("content-type")).isEqualTo("application/json");
                assertThat(probe.body()).as(path).startsWith("{\"status\":\"").doesNotContain(CANARY);
            }
            assertThat(raw(server, "POST", "/healthz", "localhost", null, null, "{}").status()).isEqualTo(405);
        }
    }

    @Test
    void everyRouteButGetNewSessionAndLoginRefusesAMissingOrInvalidSession() throws Exception {
        try (TestServer server = TestServer.start(folder.resolve("data"), TestPlugins.withFake(folder), false)) {
            SortedSet<String> routes = server.routeNames();
            assertThat(routes).as("the routes the server registers").contains("GetNewSession", "ListBackends",
                    "AddNewBackend", "EditBackend", "DeleteBackend", "ToggleBackend", "RestartBackends",
                    "FreeBackendMemory");
            SwarmApiClient api = server.client();
            api.call("AddNewBackend", "{\"type_id\":\"fake_parent\"}");
            // The two routes a caller uses before having a session (Login: with accounts, to get a user's one).
            SwarmApiClient.Response login = api.postRaw("Login", "{\"username\":\"x\",\"password\":\"y\"}");
            assertThat(login.body()).as("Login needs no session; with no users every login fails")
                    .contains("\"error_id\":\"invalid_login\"");
            for (String route : routes) {
                if (route.equals("GetNewSession") || route.equals("Login")) {
                    continue;
                }
                String parameters = "\"backend_id\":0,\"type_id\":\"fake_parent\",\"enabled\":false,"
                        + "\"title\":\"x\",\"settings\":{}";
                SwarmApiClient.Response missing = api.postRaw(route, "{" + parameters + "}");
                assertThat(missing.status()).as(route + " without a session").isEqualTo(400);
                assertThat(missing.body()).as(route).isEqualTo(MISSING_SESSION);
                SwarmApiClient.Response invalid = api.postRaw(route,
                        "{\"session_id\":\"0123456789abcdef0123456789abcdef\"," + parameters + "}");
                assertThat(invalid.status()).as(route + " with an invalid session").isEqualTo(401);
                assertThat(invalid.body()).as(route).isEqualTo(INVALID_SESSION);
            }
            assertThat(api.call("ListBackends").getAsJsonObject("0").get("enabled").getAsBoolean())
                    .as("no refused call changed the backend").isTrue();
        }
    }

    private TestServer start(AccessPolicy access) throws Exception {
        ServerOptions options = new ServerOptions("127.0.0.1", 0, folder.resolve("data"), TestPlugins.withFake(folder),
                false, 1 << 20, Duration.ofMinutes(10), access);
        return TestServer.start(options);
    }

    private static AccessPolicy lockedDown(Optional<String> corsOrigin) {
        return new AccessPolicy(Optional.of(CANARY), Set.of("switchboard.lan"), Set.of("http://tools.lan:9000"),
                corsOrigin);
    }

    private static String session(TestServer server) {
        return new SwarmApiClient(server.url(), Map.of("Authorization", CANARY)).session();
    }

    private static int port(TestServer server) {
        return URI.create(server.url()).getPort();
    }

    private record Reply(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private static Reply raw(TestServer server, String method, String path, String host, String authorization,
                             String origin, String json) {
        return raw(server, method, path, host, authorization, origin, json, "");
    }

    /** One request written byte by byte, so the Host header can be anything a browser or attacker would send. */
    private static Reply raw(TestServer server, String method, String path, String host, String authorization,
                             String origin, String json, String extraHeaders) {
        byte[] body = json == null ? new byte[0] : json.getBytes(UTF_8);
        String head = method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\n"
                + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
                + (origin == null ? "" : "Origin: " + origin + "\r\n")
                + (json == null ? "" : "Content-Type: application/json\r\n")
                + extraHeaders + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
        try (Socket socket = new Socket("127.0.0.1", port(server))) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(ISO_8859_1));
            out.write(body);
            out.flush();
            return readReply(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Reply readReply(InputStream in) throws IOException {
        int status = Integer.parseInt(readLine(in).split(" ")[1]);
        Map<String, String> headers = new TreeMap<>();
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            headers.putIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        String length = headers.get("content-length");
        byte[] body = length != null ? in.readNBytes(Integer.parseInt(length)) : in.readAllBytes();
        return new Reply(status, headers, new String(body, UTF_8));
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed mid-response");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(ISO_8859_1);
    }
}
