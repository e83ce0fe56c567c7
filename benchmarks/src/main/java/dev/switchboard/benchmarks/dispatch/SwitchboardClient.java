package dev.switchboard.benchmarks.dispatch;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The benchmark's client of Switchboard's API: sessions, and one image per {@code GenerateText2Image} over HTTP with
 * the parameters of {@link JobGraph} and {@code donotsave} (the answer carries the image as a data URL, nothing is
 * written to disk). Thread-safe.
 */
final class SwitchboardClient {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String PNG_DATA_URL = "data:image/png;base64,";

    private final HttpClient http;
    private final String baseUrl;

    SwitchboardClient(HttpClient http, String baseUrl) {
        this.http = http;
        this.baseUrl = baseUrl;
    }

    String baseUrl() {
        return baseUrl;
    }

    /** @return a new session's id */
    String newSession() throws IOException, InterruptedException {
        return call("GetNewSession", new JsonObject()).get("session_id").getAsString();
    }

    /**
     * The body of a text-to-image request for {@code images} images from {@code seed} on.
     *
     * @return the request, without a session id
     */
    static JsonObject request(int images, long seed) {
        JsonObject request = new JsonObject();
        request.addProperty("images", images);
        request.addProperty("prompt", JobGraph.PROMPT);
        request.addProperty("negativeprompt", "");
        request.addProperty("model", StandInFarm.MODEL);
        request.addProperty("width", JobGraph.WIDTH);
        request.addProperty("height", JobGraph.HEIGHT);
        request.addProperty("steps", JobGraph.STEPS);
        request.addProperty("cfgscale", JobGraph.CFG);
        request.addProperty("seed", seed);
        request.addProperty("donotsave", true);
        return request;
    }

    /**
     * Generates one image.
     *
     * @return the length of the image's data URL
     * @throws IOException when the answer is an error or carries no PNG
     */
    int generateOne(String session, long seed) throws IOException, InterruptedException {
        JsonObject request = request(1, seed);
        request.addProperty("session_id", session);
        JsonObject answer = call("GenerateText2Image", request);
        JsonArray images = answer.getAsJsonArray("images");
        if (images == null || images.size() != 1 || !images.get(0).getAsString().startsWith(PNG_DATA_URL)) {
            throw new IOException("GenerateText2Image answered " + abbreviate(answer.toString()));
        }
        return images.get(0).getAsString().length();
    }

    private JsonObject call(String route, JsonObject body) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/API/" + route))
                .header("Content-Type", "application/json").timeout(DEADLINE)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(route + " answered HTTP " + response.statusCode() + ": "
                    + abbreviate(response.body()));
        }
        JsonObject answer = JsonParser.parseString(response.body()).getAsJsonObject();
        if (answer.has("error")) {
            throw new IOException(route + " answered " + abbreviate(answer.toString()));
        }
        return answer;
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
