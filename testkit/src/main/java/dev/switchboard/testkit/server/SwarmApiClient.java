package dev.switchboard.testkit.server;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A client for a Swarm-compatible server's API, as SwarmUI clients use it: {@code POST /API/<Route>} with a JSON
 * object, a session from {@code GetNewSession} injected as {@code session_id}, JSON back. Real HTTP over a real
 * socket; for tests of servers and plugins.
 */
public final class SwarmApiClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final Map<String, String> headers;
    private String sessionId;

    /**
     * Creates a client.
     *
     * @param baseUrl the server's address, e.g. {@code http://127.0.0.1:7801}
     */
    public SwarmApiClient(String baseUrl) {
        this(baseUrl, Map.of());
    }

    /**
     * Creates a client that sends extra headers with every route call, e.g. a required {@code Authorization}.
     *
     * @param baseUrl the server's address, e.g. {@code http://127.0.0.1:7801}
     * @param headers header names and values added to every {@link #postRaw} (and so every {@link #call})
     */
    public SwarmApiClient(String baseUrl, Map<String, String> headers) {
        this.baseUrl = requireNonNull(baseUrl, "baseUrl is null");
        this.headers = Map.copyOf(requireNonNull(headers, "headers is null"));
    }

    /** @return the server's address */
    public String baseUrl() {
        return baseUrl;
    }

    /**
     * Returns this client's session id, creating the session with {@code GetNewSession} on first use.
     *
     * @return the session id
     */
    public synchronized String session() {
        if (sessionId == null) {
            sessionId = postRaw("GetNewSession", "{}").json().get("session_id").getAsString();
        }
        return sessionId;
    }

    /**
     * Calls a route with the session injected and returns its JSON answer, which may be a route-level
     * {@code {"error": ...}}.
     *
     * @param route the route name, e.g. {@code ListBackends}
     * @param json the parameters as a JSON object text
     * @return the answer
     * @throws AssertionError when the server does not answer HTTP 200
     */
    public JsonObject call(String route, String json) {
        JsonObject body = JsonParser.parseString(json).getAsJsonObject();
        body.addProperty("session_id", session());
        Response response = postRaw(route, body.toString());
        if (response.status() != 200) {
            throw new AssertionError(route + " answered HTTP " + response.status() + ": " + response.body());
        }
        return response.json();
    }

    /**
     * Calls a route without parameters.
     *
     * @param route the route name
     * @return the answer
     */
    public JsonObject call(String route) {
        return call(route, "{}");
    }

    /**
     * Posts a body as it is (no session added) to {@code /API/<route>}.
     *
     * @param route the route name
     * @param body the raw body
     * @return the raw answer
     */
    public Response postRaw(String route, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/API/" + route))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        headers.forEach(request::header);
        return send(request);
    }

    /**
     * Sends any request (to test methods, headers and content types).
     *
     * @param request the request, without a timeout (one is added)
     * @return the raw answer
     */
    public Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(response.statusCode(), response.body(),
                    response.headers().firstValue("Location"), response.headers().firstValue("Content-Type"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling " + baseUrl, e);
        }
    }

    /**
     * A raw HTTP answer.
     *
     * @param status the HTTP status
     * @param body the body text
     * @param location the {@code Location} header, if any
     * @param contentType the {@code Content-Type} header, if any
     */
    public record Response(int status, String body, Optional<String> location, Optional<String> contentType) {
        /** @return the body parsed as a JSON object */
        public JsonObject json() {
            return JsonParser.parseString(body).getAsJsonObject();
        }
    }
}
