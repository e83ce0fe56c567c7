package dev.switchboard.server.it;

import com.google.gson.JsonElement;
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

/** A SwarmUI-style API client for tests: real HTTP, a session from GetNewSession, JSON in and out. */
final class ApiClient {
    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private String sessionId;

    ApiClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    String baseUrl() {
        return baseUrl;
    }

    /** Obtains a session (once) and returns its id. */
    String session() {
        if (sessionId == null) {
            JsonObject answer = postRaw("GetNewSession", "{}").json();
            sessionId = answer.get("session_id").getAsString();
        }
        return sessionId;
    }

    /** Calls a route with the session injected; expects HTTP 200 and returns the JSON object. */
    JsonObject call(String route, String json) {
        JsonObject body = JsonParser.parseString(json).getAsJsonObject();
        body.addProperty("session_id", session());
        Response response = postRaw(route, body.toString());
        if (response.status() != 200) {
            throw new AssertionError(route + " answered HTTP " + response.status() + ": " + response.body());
        }
        return response.json();
    }

    JsonObject call(String route) {
        return call(route, "{}");
    }

    Response postRaw(String route, String body) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + "/API/" + route))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
    }

    Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(response.statusCode(), response.body(), response.headers().firstValue("Location").orElse(null),
                    response.headers().firstValue("Content-Type").orElse(null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A raw HTTP answer. */
    record Response(int status, String body, String location, String contentType) {
        JsonObject json() {
            JsonElement element = JsonParser.parseString(body);
            return element.getAsJsonObject();
        }
    }
}
