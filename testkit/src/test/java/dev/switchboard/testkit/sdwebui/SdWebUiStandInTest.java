package dev.switchboard.testkit.sdwebui;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SdWebUiStandInTest {
    private final SdWebUiStandIn standIn = SdWebUiStandIn.start();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void close() {
        standIn.close();
    }

    @Test
    void optionsNameTheLoadedCheckpointWithItsShortHash() throws Exception {
        HttpResponse<String> response = get("/sdapi/v1/options");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonObject options = JsonParser.parseString(response.body()).getAsJsonObject();
        assertThat(options.get("sd_model_checkpoint").getAsString())
                .isEqualTo("v1-5-pruned-emaonly.safetensors [6ce0161689]");
    }

    @Test
    void modelsAndSamplersHaveSdWebUisShapes() throws Exception {
        standIn.setModels(List.of(SdWebUiModel.of("sdxl/juggernaut.safetensors", "1234567890")));

        JsonObject model = JsonParser.parseString(get("/sdapi/v1/sd-models").body()).getAsJsonArray()
                .get(0).getAsJsonObject();
        assertThat(model.keySet()).containsExactlyInAnyOrder("title", "model_name", "hash", "sha256", "filename",
                "config");
        assertThat(model.get("title").getAsString()).isEqualTo("sdxl/juggernaut.safetensors [1234567890]");
        assertThat(model.get("model_name").getAsString()).isEqualTo("sdxl/juggernaut");
        JsonArray samplers = JsonParser.parseString(get("/sdapi/v1/samplers").body()).getAsJsonArray();
        assertThat(samplers).hasSize(SdWebUiStandIn.DEFAULT_SAMPLERS.size());
        assertThat(samplers.get(0).getAsJsonObject().keySet()).containsExactlyInAnyOrder("name", "aliases",
                "options");
        assertThat(samplers.get(0).getAsJsonObject().get("name").getAsString()).isEqualTo("DPM++ 2M");
    }

    @Test
    void postingOptionsSwitchesToAKnownCheckpointAndRefusesAnUnknownOne() throws Exception {
        SdWebUiModel other = SdWebUiModel.of("other.ckpt", "abcdef0123");
        standIn.setModels(List.of(SdWebUiStandIn.DEFAULT_MODEL, other));

        assertThat(post("/sdapi/v1/options", "{\"sd_model_checkpoint\":\"" + other.title() + "\"}").statusCode())
                .isEqualTo(200);
        assertThat(standIn.checkpoint()).isEqualTo(other.title());

        HttpResponse<String> refused = post("/sdapi/v1/options", "{\"sd_model_checkpoint\":\"missing.ckpt\"}");
        assertThat(refused.statusCode()).isEqualTo(500);
        assertThat(refused.body()).contains("model 'missing.ckpt' not found");
        assertThat(standIn.checkpoint()).isEqualTo(other.title());
    }

    @Test
    void withoutTheApiEveryRouteIsNotFound() throws Exception {
        standIn.setApiEnabled(false);

        HttpResponse<String> response = get("/sdapi/v1/options");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).isEqualTo("{\"detail\":\"Not Found\"}");
        assertThat(standIn.requests()).extracting(SdWebUiRequest::path).containsExactly("/sdapi/v1/options");
    }

    @Test
    void aStalledStandInAnswersNothingUntilReleased() throws Exception {
        standIn.setStalled(true);
        HttpRequest request = HttpRequest.newBuilder(URI.create(standIn.address() + "/sdapi/v1/options"))
                .timeout(Duration.ofMillis(500)).build();

        try {
            http.send(request, HttpResponse.BodyHandlers.ofString());
            throw new AssertionError("a stalled stand-in answered");
        } catch (HttpTimeoutException expected) {
            // The request hung as it should.
        }
        standIn.setStalled(false);
        assertThat(get("/sdapi/v1/options").statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(standIn.address() + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(standIn.address() + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
