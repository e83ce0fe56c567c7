package dev.switchboard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testkit.server.SwarmApiClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Edge case 1 of backend-api-semantics.md section 9, against the whole server. */
final class EnvelopeIT {
    @TempDir
    static Path data;
    static TestServer server;
    static SwarmApiClient api;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(data);
        api = server.client();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void getIsRedirectedWithoutBody() {
        SwarmApiClient.Response response = api.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/API/ListBackends")).GET());
        assertThat(response.status()).isEqualTo(302);
        assertThat(response.location()).contains("/Error/NoGetAPI");
        assertThat(response.body()).isEmpty();
    }

    @Test
    void wrongContentTypeIsRefused() {
        SwarmApiClient.Response response = api.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/API/ListBackends"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).isEqualTo("{\"error_id\":\"basic_api\",\"error\":\"Wrong content type\"}");
    }

    @Test
    void emptyBodyIsABadContentLength() {
        SwarmApiClient.Response response = api.postRaw("GetNewSession", "");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).isEqualTo("{\"error_id\":\"basic_api\",\"error\":\"bad content length\"}");
    }

    @Test
    void malformedJsonIsAnInternalError() {
        SwarmApiClient.Response response = api.postRaw("ListBackends", "{\"session_id\":");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).isEqualTo("{\"error_id\":\"internal_error\",\"error\":\"An internal error occurred\"}");
    }

    @Test
    void missingAndUnknownSessions() {
        SwarmApiClient.Response missing = api.postRaw("ListBackends", "{}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.body()).isEqualTo("{\"error_id\":\"basic_api\",\"error\":\"missing session id\"}");

        SwarmApiClient.Response unknown = api.postRaw("ListBackends", "{\"session_id\":\"nope\"}");
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.body()).isEqualTo(
                "{\"error\":\"Invalid session ID. You may need to refresh the page.\",\"error_id\":\"invalid_session_id\"}");
    }

    @Test
    void unknownRouteAfterAValidSession() {
        SwarmApiClient.Response response = api.postRaw("NoSuchRoute", "{\"session_id\":\"" + api.session() + "\"}");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).isEqualTo("{\"error_id\":\"bad_route\",\"error\":\"Unknown API route\"}");
    }

    @Test
    void routeNamesAreCaseInsensitive() {
        SwarmApiClient.Response response = api.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/api/listbackends"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"session_id\":\"" + api.session() + "\"}")));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{}");
        assertThat(response.contentType().orElse("")).startsWith("application/json");
    }

    @Test
    void sessionFromHeader() {
        SwarmApiClient.Response response = api.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/API/ListBackendTypes"))
                .header("Content-Type", "application/json").header("X-Session-ID", api.session())
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().getAsJsonArray("list")).isNotEmpty();
    }

    @Test
    void getNewSessionHasCurrentAndOldFields() {
        var session = api.postRaw("GetNewSession", "{}").json();
        assertThat(session.keySet()).containsExactly("session_id", "user_id", "output_append_user", "version",
                "server_id", "permissions", "count_running");
        assertThat(session.get("session_id").getAsString()).matches("[0-9a-f]{40}");
        assertThat(session.get("user_id").getAsString()).isEqualTo("local");
        assertThat(session.get("count_running").getAsInt()).isZero();
        assertThat(session.getAsJsonArray("permissions").toString()).contains("\"*\"", "view_backends_list");
        var other = api.postRaw("GetNewSession", "{}").json();
        assertThat(other.get("session_id").getAsString()).isNotEqualTo(session.get("session_id").getAsString());
        assertThat(other.get("server_id")).isEqualTo(session.get("server_id"));
    }
}
