package dev.switchboard.testkit.sdwebui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The stand-in's txt2img, progress and interrupt, over a real socket. */
class SdWebUiStandInGenerationTest {
    private final SdWebUiStandIn standIn = SdWebUiStandIn.start();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void close() {
        standIn.close();
    }

    @Test
    void txt2imgAnswersBase64PngsOfTheRequestedSizeForEveryImage() throws Exception {
        HttpResponse<String> response = post("/sdapi/v1/txt2img", "{\"prompt\":\"a fox\",\"seed\":42,\"steps\":3,"
                + "\"width\":72,\"height\":40,\"batch_size\":2,\"n_iter\":2,\"cfg_scale\":5.5}");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonObject answer = JsonParser.parseString(response.body()).getAsJsonObject();
        JsonArray images = answer.getAsJsonArray("images");
        assertThat(images).hasSize(4);
        for (JsonElement image : images) {
            BufferedImage picture = decode(image.getAsString());
            assertThat(picture.getWidth()).isEqualTo(72);
            assertThat(picture.getHeight()).isEqualTo(40);
        }
        assertThat(images.get(1).getAsString()).isNotEqualTo(images.get(0).getAsString());
        assertThat(answer.getAsJsonObject("parameters").get("prompt").getAsString()).isEqualTo("a fox");
        JsonObject info = JsonParser.parseString(answer.get("info").getAsString()).getAsJsonObject();
        assertThat(info.get("seed").getAsLong()).isEqualTo(42);
        assertThat(standIn.generations()).singleElement().satisfies(generation -> {
            assertThat(generation.prompt()).isEqualTo("a fox");
            assertThat(generation.seed()).isEqualTo(42);
            assertThat(generation.steps()).isEqualTo(3);
            assertThat(generation.cfgScale()).isEqualTo(5.5);
            assertThat(generation.images()).isEqualTo(4);
            assertThat(generation.checkpoint()).isEqualTo(SdWebUiStandIn.DEFAULT_MODEL.title());
            assertThat(generation.restoreAfterwards()).isTrue();
            assertThat(generation.interrupted()).isFalse();
        });
    }

    @Test
    void progressMovesStepByStepWithAPreviewAndRestsAfterwards() throws Exception {
        standIn.holdSteps();
        CompletableFuture<HttpResponse<String>> running = postAsync("/sdapi/v1/txt2img",
                "{\"steps\":4,\"width\":64,\"height\":32}");
        await().atMost(Duration.ofSeconds(30)).until(standIn::isGenerating);

        JsonObject start = progress("");
        assertThat(start.get("progress").getAsDouble()).isEqualTo(0.01);
        assertThat(state(start).get("job_count").getAsInt()).isEqualTo(1);
        assertThat(state(start).get("sampling_steps").getAsInt()).isEqualTo(4);
        assertThat(start.get("current_image").isJsonNull()).isTrue();
        standIn.releaseSteps(1);
        JsonObject first = await().atMost(Duration.ofSeconds(30)).until(() -> progress(""),
                progress -> state(progress).get("sampling_step").getAsInt() == 1);
        assertThat(first.get("progress").getAsDouble()).isCloseTo(0.26, within(1e-9));
        assertThat(decode(first.get("current_image").getAsString()).getWidth()).isEqualTo(16);
        assertThat(progress("?skip_current_image=true").get("current_image").isJsonNull()).isTrue();
        standIn.releaseSteps(1);
        JsonObject second = await().atMost(Duration.ofSeconds(30)).until(() -> progress(""),
                progress -> state(progress).get("sampling_step").getAsInt() == 2);
        assertThat(second.get("progress").getAsDouble()).isCloseTo(0.51, within(1e-9));
        assertThat(running).isNotDone();

        standIn.releaseSteps(2);
        assertThat(running.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        JsonObject idle = progress("");
        assertThat(idle.get("progress").getAsDouble()).isZero();
        assertThat(state(idle).get("job_count").getAsInt()).isZero();
        assertThat(idle.get("current_image").isJsonNull()).isTrue();
    }

    @Test
    void anInterruptEndsTheRunningGenerationWithWhatItMadeAndTheNextOneRunsNormally() throws Exception {
        standIn.setStepTime(Duration.ofMinutes(1));
        CompletableFuture<HttpResponse<String>> running = postAsync("/sdapi/v1/txt2img",
                "{\"steps\":100,\"width\":16,\"height\":16,\"batch_size\":2}");
        await().atMost(Duration.ofSeconds(30)).until(standIn::isGenerating);

        assertThat(post("/sdapi/v1/interrupt", "").body()).isEqualTo("{}");

        HttpResponse<String> answer = running.get(30, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(JsonParser.parseString(answer.body()).getAsJsonObject().getAsJsonArray("images")).hasSize(2);
        assertThat(standIn.interrupts()).isEqualTo(1);
        assertThat(standIn.generations()).singleElement().satisfies(generation ->
                assertThat(generation.interrupted()).isTrue());
        standIn.setStepTime(Duration.ZERO);
        assertThat(post("/sdapi/v1/txt2img", "{\"steps\":2,\"width\":8,\"height\":8}").statusCode()).isEqualTo(200);
        assertThat(standIn.generations().get(1).interrupted()).isFalse();
    }

    @Test
    void generationsRunOneAtATimeLikeBehindSdWebUisQueueLock() throws Exception {
        standIn.setStepTime(Duration.ofMinutes(1));
        CompletableFuture<HttpResponse<String>> first = postAsync("/sdapi/v1/txt2img",
                "{\"prompt\":\"first\",\"steps\":3,\"width\":8,\"height\":8}");
        await().atMost(Duration.ofSeconds(30)).until(standIn::isGenerating);
        CompletableFuture<HttpResponse<String>> second = postAsync("/sdapi/v1/txt2img",
                "{\"prompt\":\"second\",\"steps\":1,\"width\":8,\"height\":8}");
        await().atMost(Duration.ofSeconds(30)).until(() -> standIn.mostGenerationsAtOnce() == 2);

        // The second waits behind the first: the job sampling is still the three-step one.
        assertThat(state(progress("")).get("sampling_steps").getAsInt()).isEqualTo(3);
        assertThat(second).isNotDone();
        // Switches apply to a generation when it starts, so the waiting one runs without delay.
        standIn.setStepTime(Duration.ZERO);
        post("/sdapi/v1/interrupt", "");

        assertThat(first.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(second.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(standIn.generations()).extracting(SdWebUiGeneration::prompt, SdWebUiGeneration::interrupted)
                .containsExactly(tuple("first", true), tuple("second", false));
    }

    @Test
    void theCheckpointOverrideIsUsedAndStaysLoadedOnlyWhenNotRestored() throws Exception {
        SdWebUiModel other = SdWebUiModel.of("sdxl/base.safetensors", "31e35c80fc");
        standIn.setModels(List.of(SdWebUiStandIn.DEFAULT_MODEL, other));

        post("/sdapi/v1/txt2img", "{\"steps\":1,\"width\":8,\"height\":8,\"override_settings\":"
                + "{\"sd_model_checkpoint\":\"" + other.title() + "\",\"CLIP_stop_at_last_layers\":2}}");
        assertThat(standIn.checkpoint()).isEqualTo(SdWebUiStandIn.DEFAULT_MODEL.title());
        post("/sdapi/v1/txt2img", "{\"steps\":1,\"width\":8,\"height\":8,\"override_settings\":"
                + "{\"sd_model_checkpoint\":\"sdxl/base.safetensors\"},\"override_settings_restore_afterwards\":false}");
        assertThat(standIn.checkpoint()).isEqualTo(other.title());
        post("/sdapi/v1/txt2img", "{\"steps\":1,\"width\":8,\"height\":8,\"override_settings\":"
                + "{\"sd_model_checkpoint\":\"missing.safetensors\"}}");

        assertThat(standIn.generations()).extracting(SdWebUiGeneration::checkpoint)
                .containsExactly(other.title(), other.title(), other.title());
        assertThat(standIn.generations().get(0).clipStopAtLastLayers()).isEqualTo(2);
    }

    @Test
    void samplersAreCheckedByNameOrAliasAndSchedulersListed() throws Exception {
        assertThat(post("/sdapi/v1/txt2img", "{\"steps\":1,\"width\":8,\"height\":8,\"sampler_name\":\"Euler a\"}")
                .statusCode()).isEqualTo(200);
        assertThat(post("/sdapi/v1/txt2img", "{\"steps\":1,\"width\":8,\"height\":8,\"sampler_name\":\"dpmpp_2m\"}")
                .statusCode()).isEqualTo(200);
        HttpResponse<String> unknown = post("/sdapi/v1/txt2img", "{\"steps\":1,\"sampler_name\":\"euler_cfg_pp\"}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).isEqualTo("{\"detail\":\"Sampler not found\"}");

        JsonArray schedulers = JsonParser.parseString(get("/sdapi/v1/schedulers").body()).getAsJsonArray();
        assertThat(schedulers.get(0).getAsJsonObject().keySet()).containsExactlyInAnyOrder("name", "label", "aliases",
                "default_rho", "need_inner_model");
        assertThat(schedulers).extracting(item -> item.getAsJsonObject().get("name").getAsString())
                .containsExactlyElementsOf(SdWebUiStandIn.DEFAULT_SCHEDULERS);
        assertThat(post("/sdapi/v1/refresh-checkpoints", "").statusCode()).isEqualTo(200);
    }

    @Test
    void aFailingGenerationAnswersSdWebUisErrorShapeAfterSampling() throws Exception {
        standIn.setGenerationFailure("CUDA out of memory. Tried to allocate 2.00 GiB");

        HttpResponse<String> response = post("/sdapi/v1/txt2img", "{\"steps\":2,\"width\":8,\"height\":8}");

        assertThat(response.statusCode()).isEqualTo(500);
        JsonObject error = JsonParser.parseString(response.body()).getAsJsonObject();
        assertThat(error.get("error").getAsString()).isEqualTo("RuntimeError");
        assertThat(error.get("errors").getAsString()).isEqualTo("CUDA out of memory. Tried to allocate 2.00 GiB");
        assertThat(standIn.generations()).hasSize(1);
    }

    @Test
    void aBodyOfTheWrongShapeIsRefusedLikeFastApiDoes() throws Exception {
        HttpResponse<String> response = post("/sdapi/v1/txt2img", "{\"steps\":\"many\"}");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.body()).contains("\"loc\":[\"body\",\"steps\"]");
        assertThat(post("/sdapi/v1/txt2img", "[]").statusCode()).isEqualTo(422);
        assertThat(get("/sdapi/v1/txt2img").statusCode()).isEqualTo(405);
        assertThat(standIn.generations()).isEmpty();
    }

    @Test
    void closingTheStandInMidGenerationDropsTheConnection() throws Exception {
        standIn.setStepTime(Duration.ofMinutes(1));
        CompletableFuture<HttpResponse<String>> running = postAsync("/sdapi/v1/txt2img",
                "{\"steps\":10,\"width\":8,\"height\":8}");
        await().atMost(Duration.ofSeconds(30)).until(standIn::isGenerating);

        standIn.close();

        assertThatThrownBy(() -> running.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IOException.class);
    }

    private JsonObject progress(String query) throws Exception {
        return JsonParser.parseString(get("/sdapi/v1/progress" + query).body()).getAsJsonObject();
    }

    private static JsonObject state(JsonObject progress) {
        return progress.getAsJsonObject("state");
    }

    private static BufferedImage decode(String base64) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(base64)));
        assertThat(image).as("a decodable PNG").isNotNull();
        return image;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(standIn.address() + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String json) throws Exception {
        return postAsync(path, json).get(60, TimeUnit.SECONDS);
    }

    private CompletableFuture<HttpResponse<String>> postAsync(String path, String json) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create(standIn.address() + path))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
