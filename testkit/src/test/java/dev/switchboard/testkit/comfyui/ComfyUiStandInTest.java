package dev.switchboard.testkit.comfyui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

final class ComfyUiStandInTest {
    private static final String FEATURES = "{\"supports_preview_metadata\":true,\"max_upload_size\":104857600}";

    private final TestHttp http = new TestHttp();
    private final ComfyUiStandIn standIn = ComfyUiStandIn.start();

    @AfterEach
    void tearDown() {
        standIn.close();
    }

    @Test
    void listensOnLoopbackAndServesRoutesAlsoUnderTheApiPrefix() throws Exception {
        assertThat(standIn.baseUrl()).isEqualTo("http://127.0.0.1:" + standIn.port());

        assertThat(http.get(standIn.baseUrl() + "/features").body()).isEqualTo(FEATURES);
        assertThat(http.get(standIn.baseUrl() + "/api/features").body()).isEqualTo(FEATURES);
        assertThat(http.get(standIn.baseUrl() + "/api/object_info").body())
                .isEqualTo(http.get(standIn.baseUrl() + "/object_info").body());
    }

    @Test
    void startsOnAGivenPort() {
        int port = standIn.port();
        standIn.close();

        try (ComfyUiStandIn again = ComfyUiStandIn.start(port)) {
            assertThat(again.port()).isEqualTo(port);
        }
    }

    @Test
    void unknownPathsAndMethodsGetAnEmpty404() throws Exception {
        HttpResponse<String> unknown = http.get(standIn.baseUrl() + "/prompt/nothing");
        HttpResponse<String> wrongMethod = http.get(standIn.baseUrl() + "/free");
        HttpResponse<String> unknownNode = http.get(standIn.baseUrl() + "/object_info/NoSuchNode");

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).isEmpty();
        assertThat(wrongMethod.statusCode()).isEqualTo(404);
        assertThat(unknownNode.statusCode()).isEqualTo(200);
        assertThat(unknownNode.body()).isEqualTo("{}");
    }

    @Test
    void aPostWhoseBodyIsNotJsonFailsLikeAiohttp() throws Exception {
        HttpResponse<String> response = http.post(standIn.baseUrl() + "/free", "{not json");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.headers().firstValue("Content-Type")).contains("text/plain; charset=utf-8");
    }

    @Test
    void recordsEveryRequestWithHeadersAndBody() throws Exception {
        http.get(standIn.baseUrl() + "/queue?x=1");
        http.post(standIn.baseUrl() + "/api/free", "{\"unload_models\":true,\"free_memory\":false}");

        List<RecordedRequest> requests = standIn.requests();

        assertThat(requests).hasSize(2);
        assertThat(requests.get(0).is("GET", "/queue")).isTrue();
        assertThat(requests.get(0).query()).isEqualTo("x=1");
        assertThat(requests.get(1).is("POST", "/api/free")).isTrue();
        assertThat(requests.get(1).body()).isEqualTo("{\"unload_models\":true,\"free_memory\":false}");
        assertThat(requests.get(1).header("content-type")).contains("application/json");
        standIn.clearRequests();
        assertThat(standIn.requests()).isEmpty();
    }

    @Test
    void setModelsFillsTheLoadersOptionList() throws Exception {
        standIn.setModels("CheckpointLoaderSimple", List.of("sdxl/base.safetensors", "flux.safetensors"));

        String body = http.get(standIn.baseUrl() + "/object_info/CheckpointLoaderSimple").body();

        assertThat(JsonParser.parseString(body).getAsJsonObject().getAsJsonObject("CheckpointLoaderSimple")
                .getAsJsonObject("input").getAsJsonObject("required").getAsJsonArray("ckpt_name").get(0))
                .isEqualTo(JsonParser.parseString("[\"sdxl/base.safetensors\",\"flux.safetensors\"]"));
    }

    @Test
    void setModelsFillsComboStyleOptionListsOfAddedNodes() throws Exception {
        standIn.addNode("UnetLoaderGGUF",
                "{\"input\":{\"required\":{\"unet_name\":[\"COMBO\",{\"options\":[]}]}},\"name\":\"UnetLoaderGGUF\"}");
        standIn.setModels("UnetLoaderGGUF", List.of("flux-q4.gguf"));

        String body = http.get(standIn.baseUrl() + "/object_info").body();

        assertThat(JsonParser.parseString(body).getAsJsonObject().getAsJsonObject("UnetLoaderGGUF")
                .getAsJsonObject("input").getAsJsonObject("required").getAsJsonArray("unet_name"))
                .isEqualTo(JsonParser.parseString("[\"COMBO\",{\"options\":[\"flux-q4.gguf\"]}]"));
        assertThat(standIn.nodeNames()).contains("UnetLoaderGGUF", "KSampler");
    }

    @Test
    void setModelsRefusesNodesItDoesNotServe() {
        assertThatThrownBy(() -> standIn.setModels("TensorRTLoader", List.of("x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TensorRTLoader");
    }

    @Test
    void historyEntriesCanBeReadAndDeleted() throws Exception {
        standIn.putHistory("p1", "{\"outputs\":{}}");

        assertThat(http.get(standIn.baseUrl() + "/history").body()).isEqualTo("{\"p1\":{\"outputs\":{}}}");
        http.post(standIn.baseUrl() + "/history", "{\"delete\":[\"p1\"]}");
        assertThat(http.get(standIn.baseUrl() + "/history/p1").body()).isEqualTo("{}");
    }

    @Test
    void refuseClosesThePortAndResumeListensOnTheSamePort() throws Exception {
        int port = standIn.port();

        standIn.refuse();
        assertThatThrownBy(() -> http.get(standIn.baseUrl() + "/features")).isInstanceOf(ConnectException.class);

        standIn.resume();
        assertThat(standIn.port()).isEqualTo(port);
        assertThat(http.get(standIn.baseUrl() + "/features").statusCode()).isEqualTo(200);
    }

    @Test
    void stallNeverAnswersUntilResume() throws Exception {
        standIn.stall();
        HttpRequest impatient = HttpRequest.newBuilder(URI.create(standIn.baseUrl() + "/features"))
                .timeout(Duration.ofMillis(300)).build();
        assertThatThrownBy(() -> http.client().send(impatient, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);

        CompletableFuture<HttpResponse<String>> waiting = http.client().sendAsync(
                HttpRequest.newBuilder(URI.create(standIn.baseUrl() + "/features")).build(),
                HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(10)).until(() -> standIn.requests().size() == 2);
        standIn.resume();

        assertThat(waiting.get(10, TimeUnit.SECONDS).body()).isEqualTo(FEATURES);
    }

    @Test
    void closeEndsStalledExchangesPromptly() {
        standIn.stall();
        CompletableFuture<HttpResponse<String>> waiting = http.client().sendAsync(
                HttpRequest.newBuilder(URI.create(standIn.baseUrl() + "/object_info")).build(),
                HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(10)).until(() -> standIn.requests().size() == 1);

        standIn.close();

        await().atMost(Duration.ofSeconds(10)).until(waiting::isDone);
        assertThatThrownBy(waiting::get).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IOException.class);
    }

    @Test
    void delayAnswersNormallyButLate() throws Exception {
        standIn.delay(Duration.ofSeconds(1));
        HttpRequest impatient = HttpRequest.newBuilder(URI.create(standIn.baseUrl() + "/features"))
                .timeout(Duration.ofMillis(100)).build();
        assertThatThrownBy(() -> http.client().send(impatient, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);

        assertThat(http.get(standIn.baseUrl() + "/features").body()).isEqualTo(FEATURES);
    }

    @Test
    void failWithAnswersEveryRequestWithThatStatus() throws Exception {
        standIn.failWith(500);
        HttpResponse<String> serverError = http.get(standIn.baseUrl() + "/object_info");
        standIn.failWith(503);
        HttpResponse<String> unavailable = http.post(standIn.baseUrl() + "/free", "{}");

        assertThat(serverError.statusCode()).isEqualTo(500);
        assertThat(serverError.body()).isEqualTo("500 Internal Server Error\n\nServer got itself in trouble");
        assertThat(unavailable.statusCode()).isEqualTo(503);
    }

    @Test
    void malformedJsonIsA200WithABrokenJsonBody() throws Exception {
        standIn.malformedJson();

        HttpResponse<String> response = http.get(standIn.baseUrl() + "/object_info");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json; charset=utf-8");
        assertThatThrownBy(() -> JsonParser.parseString(response.body())).isInstanceOf(JsonParseException.class);
    }

    @Test
    void respondWithSendsTheGivenAnswer() throws Exception {
        standIn.respondWith(200, "application/json; charset=utf-8", "{\"error\":\"boom\"}");

        assertThat(http.get(standIn.baseUrl() + "/object_info").body()).isEqualTo("{\"error\":\"boom\"}");
    }

    @Test
    void trickleSendsTheWholeNormalBodySlowly() throws Exception {
        standIn.trickle(Duration.ofMillis(5));

        assertThat(http.get(standIn.baseUrl() + "/features").body()).isEqualTo(FEATURES);
    }

    @Test
    void trickleSendsHeadersFirstAndCloseCutsTheBody() throws Exception {
        standIn.trickle(Duration.ofMillis(500));
        HttpResponse<InputStream> response = http.client().send(
                HttpRequest.newBuilder(URI.create(standIn.baseUrl() + "/object_info")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        InputStream body = response.body();
        assertThat(body.read()).isEqualTo('{');

        standIn.close();

        CompletableFuture<Integer> rest = CompletableFuture.supplyAsync(() -> {
            try (body) {
                return body.readAllBytes().length;
            } catch (IOException e) {
                return -1;
            }
        });
        assertThat(rest.get(10, TimeUnit.SECONDS)).isLessThan(100);
    }

    @Test
    void switchingModesAfterCloseIsRefused() {
        standIn.close();

        assertThatThrownBy(standIn::stall).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(standIn::resume).isInstanceOf(IllegalStateException.class);
    }
}
