package dev.switchboard.distribution.durability;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One API session on one server, over a shared HTTP client, safe to use from several threads. Unlike the
 * testkit's client it reports a failed connection as an {@link IOException}: a request cut off by a kill is
 * an expected outcome here, not a test failure.
 */
final class ApiSession {
    private final HttpClient http;
    private final String baseUrl;
    private final String sessionId;
    private final Duration timeout;

    private ApiSession(HttpClient http, String baseUrl, String sessionId, Duration timeout) {
        this.http = requireNonNull(http, "http is null");
        this.baseUrl = requireNonNull(baseUrl, "baseUrl is null");
        this.sessionId = requireNonNull(sessionId, "sessionId is null");
        this.timeout = requireNonNull(timeout, "timeout is null");
    }

    /** An HTTP/1.1 client: no h2c upgrade dance, one plain connection per concurrent request. */
    static HttpClient newHttpClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Takes a new session ({@code GetNewSession}) on the server at {@code baseUrl}. */
    static ApiSession open(HttpClient http, String baseUrl, Duration timeout) throws IOException, InterruptedException {
        JsonObject answer = post(http, baseUrl, "GetNewSession", new JsonObject(), timeout);
        return new ApiSession(http, baseUrl, answer.get("session_id").getAsString(), timeout);
    }

    /**
     * Calls a route with this session and returns its answer, which may be a route-level {@code error}.
     *
     * @throws IOException when the connection failed or was cut off (e.g. the server was killed)
     * @throws IllegalStateException when the server answered anything but HTTP 200 with a JSON object
     */
    JsonObject call(String route, JsonObject parameters) throws IOException, InterruptedException {
        JsonObject body = parameters.deepCopy();
        body.addProperty("session_id", sessionId);
        return post(http, baseUrl, route, body, timeout);
    }

    private static JsonObject post(HttpClient http, String baseUrl, String route, JsonObject body, Duration timeout)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/API/" + route)).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() != 200) {
            throw new IllegalStateException(route + " answered HTTP " + response.statusCode() + ": " + response.body());
        }
        return JsonParser.parseString(response.body()).getAsJsonObject();
    }
}
