package dev.switchboard.testkit.comfyui;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Checks the stand-in against what a real ComfyUI 0.3.64 answered (the recordings in
 * {@code src/test/resources/fixtures/comfyui}, read from the class path): same status, same content type, same
 * JSON shape, and node entries equal to the recorded ones except for model option lists.
 */
final class ComfyUiStandInFixtureTest {

    /** Loader nodes the stand-in serves, and the input listing their models. */
    private static final Map<String, String> LOADERS = Map.of(
            "CheckpointLoaderSimple", "ckpt_name",
            "UNETLoader", "unet_name",
            "LoraLoader", "lora_name",
            "VAELoader", "vae_name",
            "ControlNetLoader", "control_net_name",
            "CLIPVisionLoader", "clip_name");

    /** Where the recordings lie on the test class path. */
    private static final String FIXTURES = "/fixtures/comfyui/";

    private final TestHttp http = new TestHttp();
    private ComfyUiStandIn standIn;

    @BeforeEach
    void setUp() {
        standIn = ComfyUiStandIn.start();
    }

    @AfterEach
    void tearDown() {
        standIn.close();
    }

    @ParameterizedTest(name = "{1} {2} matches {0}")
    @CsvSource({
        "features.json, GET, /features",
        "system_stats.json, GET, /system_stats",
        "queue_empty.json, GET, /queue",
        "embeddings.json, GET, /embeddings",
        "free.json, POST, /free",
        "interrupt.json, POST, /interrupt",
        "history_delete.json, POST, /history",
        "queue_delete.json, POST, /queue",
        "not_found.json, GET, /no/such/route",
    })
    void answersLikeTheRecording(String fixture, String method, String path) throws Exception {
        JsonObject recorded = fixture(fixture);
        HttpResponse<String> response = method.equals("GET")
                ? http.get(standIn.baseUrl() + path)
                : http.post(standIn.baseUrl() + path, recorded.get("request").toString());

        assertMatches(recorded, response);
    }

    @Test
    void objectInfoHasTheRecordedStatusContentTypeAndNodeEntries() throws Exception {
        JsonObject recorded = fixture("object_info.json");
        JsonObject recordedNodes = recorded.getAsJsonObject("body");
        LOADERS.keySet().forEach(loader -> standIn.setModels(loader, List.of("a.safetensors", "sub/b.safetensors")));

        HttpResponse<String> response = http.get(standIn.baseUrl() + "/object_info");

        assertThat(response.statusCode()).isEqualTo(recorded.get("status").getAsInt());
        assertThat(contentType(response)).contains(recorded.get("content_type").getAsString());
        JsonObject served = JsonParser.parseString(response.body()).getAsJsonObject();
        assertThat(served.keySet()).contains("KSampler", "EmptyImage", "ImageInvert", "SaveImage",
                "CheckpointLoaderSimple", "UNETLoader", "LoraLoader", "VAELoader", "ControlNetLoader",
                "CLIPVisionLoader");
        for (String node : served.keySet()) {
            assertThat(recordedNodes.has(node)).as("node %s was recorded", node).isTrue();
            JsonObject servedEntry = served.getAsJsonObject(node).deepCopy();
            String modelInput = LOADERS.get(node);
            if (modelInput != null) {
                JsonArray servedSpec = servedEntry.getAsJsonObject("input").getAsJsonObject("required")
                        .getAsJsonArray(modelInput);
                assertThat(servedSpec.get(0)).isEqualTo(JsonParser.parseString("[\"a.safetensors\",\"sub/b.safetensors\"]"));
                JsonElement recordedOptions = recordedNodes.getAsJsonObject(node).getAsJsonObject("input")
                        .getAsJsonObject("required").getAsJsonArray(modelInput).get(0);
                servedSpec.set(0, recordedOptions.deepCopy());
            }
            assertThat(servedEntry).as("entry of %s", node).isEqualTo(recordedNodes.get(node));
        }
    }

    @Test
    void oneNodeIsServedKeyedByItsName() throws Exception {
        JsonObject recordedNodes = fixture("object_info.json").getAsJsonObject("body");

        HttpResponse<String> response = http.get(standIn.baseUrl() + "/object_info/KSampler");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(contentType(response)).contains("application/json; charset=utf-8");
        JsonObject expected = new JsonObject();
        expected.add("KSampler", recordedNodes.get("KSampler"));
        assertThat(JsonParser.parseString(response.body())).isEqualTo(expected);
    }

    @Test
    void historyEntryHasTheRecordedShape() throws Exception {
        JsonObject recorded = fixture("history_entry.json");
        JsonObject body = recorded.getAsJsonObject("body");
        String promptId = body.keySet().iterator().next();
        standIn.putHistory(promptId, body.get(promptId).toString());

        HttpResponse<String> response = http.get(standIn.baseUrl() + "/history/" + promptId);

        assertMatches(recorded, response);
    }

    private void assertMatches(JsonObject recorded, HttpResponse<String> response) {
        assertThat(response.statusCode()).as("status").isEqualTo(recorded.get("status").getAsInt());
        if (recorded.has("content_type")) {
            JsonElement type = recorded.get("content_type");
            if (type.isJsonNull()) {
                assertThat(contentType(response)).as("content type").isEmpty();
            } else {
                assertThat(contentType(response)).as("content type").contains(type.getAsString());
            }
        }
        JsonElement body = recorded.get("body");
        if (body.isJsonPrimitive() && body.getAsJsonPrimitive().isString()) {
            assertThat(response.body()).as("body").isEqualTo(body.getAsString());
        } else {
            JsonShapes.assertSameShape(body, JsonParser.parseString(response.body()));
        }
    }

    private static Optional<String> contentType(HttpResponse<String> response) {
        return response.headers().firstValue("Content-Type");
    }

    private static JsonObject fixture(String name) throws IOException {
        try (InputStream in = ComfyUiStandInFixtureTest.class.getResourceAsStream(FIXTURES + name)) {
            assertThat(in).as("recording %s%s on the test class path", FIXTURES, name).isNotNull();
            return JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
        }
    }
}
