package dev.switchboard.testkit.comfyui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.switchboard.testkit.comfyui.TestSocket.Message;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checks the stand-in against what a real ComfyUI 0.3.64 answered (the recordings in
 * {@code src/test/resources/fixtures/comfyui}, read from the class path): same status, same content type, same
 * JSON shape, and node entries equal to the recorded ones except for model option lists; for generation, the same
 * WebSocket messages in the same order with the same shapes, the same {@code /history} entries, {@code /view}
 * files and {@code /prompt} refusals.
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

    /** The checkpoint the generation recordings were made with. */
    private static final String TINY = "tiny-sd15.safetensors";

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

    @Test
    void anAcceptedPromptIsAnsweredAsRecorded() throws Exception {
        JsonObject recorded = fixture("prompt_ok.json");

        HttpResponse<String> response = http.post(standIn.baseUrl() + "/prompt", recorded.get("request").toString());

        assertMatches(recorded, response);
    }

    @Test
    void aModelFreePromptRunsWithTheRecordedMessagesHistoryAndFile() throws Exception {
        JsonObject trace = fixture("ws_trace_prompt_ok.json");
        JsonObject request = fixture("prompt_ok.json").getAsJsonObject("request");

        List<Message> run = runToTheEnd(request);

        assertSameMessages(recordedMessages(trace), run);
        String promptId = run.get(3).data().get("prompt_id").getAsString();
        assertHistoryMatches(fixture("history_entry.json"), promptId);
        JsonObject viewMeta = fixture("view_meta.json");
        HttpResponse<byte[]> file = view(promptId, "3");
        assertThat(file.statusCode()).isEqualTo(viewMeta.get("status").getAsInt());
        assertThat(contentTypeOf(file)).contains(viewMeta.get("content_type").getAsString());
        assertThat(HexFormat.of().formatHex(file.body(), 0, 8)).isEqualTo(viewMeta.get("png_magic").getAsString());
    }

    @Test
    void theTxt2imgGraphRunsWithTheRecordedMessagesHistoryAndImage() throws Exception {
        JsonObject trace = fixture("ws_trace_txt2img.json");
        standIn.setModels("CheckpointLoaderSimple", List.of(TINY));

        List<Message> run = runToTheEnd(trace.getAsJsonObject("prompt_request"));

        assertSameMessages(recordedMessages(trace), run);
        String promptId = run.get(3).data().get("prompt_id").getAsString();
        assertHistoryMatches(fixture("history_txt2img.json"), promptId);
        JsonObject recordedView = fixture("view_txt2img.json");
        HttpResponse<byte[]> file = view(promptId, "9");
        assertThat(file.statusCode()).isEqualTo(recordedView.get("status").getAsInt());
        assertThat(contentTypeOf(file)).contains(recordedView.get("content_type").getAsString());
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(file.body()));
        assertThat(image.getWidth()).isEqualTo(recordedView.get("png_width").getAsInt());
        assertThat(image.getHeight()).isEqualTo(recordedView.get("png_height").getAsInt());
    }

    @Test
    void theAcceptedTxt2imgPromptIsAnsweredAsRecorded() throws Exception {
        JsonObject trace = fixture("ws_trace_txt2img.json");
        standIn.setModels("CheckpointLoaderSimple", List.of(TINY));

        HttpResponse<String> response = http.post(standIn.baseUrl() + "/prompt",
                trace.get("prompt_request").toString());

        assertThat(response.statusCode()).isEqualTo(trace.getAsJsonObject("prompt_answer").get("status").getAsInt());
        JsonShapes.assertSameShape(trace.getAsJsonObject("prompt_answer").get("body"),
                JsonParser.parseString(response.body()));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"prompt_error_node_errors.json", "prompt_error_unknown_node.json"})
    void aRefusedPromptIsAnsweredExactlyAsRecorded(String fixture) throws Exception {
        JsonObject recorded = fixture(fixture);
        // An unknown checkpoint (the installed one is this) and an unknown node type.
        standIn.setModels("CheckpointLoaderSimple", List.of(TINY));
        JsonObject request = recorded.getAsJsonObject("request");

        HttpResponse<String> response = http.post(standIn.baseUrl() + "/prompt",
                (request.has("body") ? request.get("body") : request).toString());

        assertMatches(recorded, response);
        assertThat(JsonParser.parseString(response.body())).isEqualTo(recorded.get("body"));
    }

    @Test
    void aLinkToAMissingNodeIsRefusedAsRecorded() throws Exception {
        JsonObject recorded = fixture("prompt_error_bad_link.json");

        HttpResponse<String> response = http.post(standIn.baseUrl() + "/prompt", recorded.get("request").toString());

        assertMatches(recorded, response);
        JsonObject body = JsonParser.parseString(response.body()).getAsJsonObject();
        assertThat(body.get("error")).isEqualTo(recorded.getAsJsonObject("body").get("error"));
        assertThat(body.getAsJsonObject("node_errors").getAsJsonObject("3").getAsJsonArray("errors").get(0)
                .getAsJsonObject().get("details").getAsString()).isEqualTo("'9'");
    }

    @Test
    void aPromptBodyThatIsNotJsonFailsAsRecorded() throws Exception {
        JsonObject recorded = fixture("prompt_error_malformed.json");

        HttpResponse<String> response = http.post(standIn.baseUrl() + "/prompt",
                recorded.get("request_raw").getAsString());

        assertMatches(recorded, response);
    }

    @Test
    void anExecutionErrorHasTheRecordedMessagesAndHistory() throws Exception {
        JsonObject trace = fixture("ws_trace_execution_error.json");
        List<JsonObject> recorded = recordedMessages(trace);
        JsonObject error = recorded.stream().filter(message -> type(message).equals("execution_error")).findFirst()
                .orElseThrow().getAsJsonObject("data");
        standIn.failExecutionAt(error.get("node_type").getAsString(), error.get("exception_message").getAsString());

        List<Message> run = runToTheEnd(trace.getAsJsonObject("prompt_request"));

        assertSameMessages(recorded, run);
        Message failure = run.stream().filter(message -> "execution_error".equals(message.type())).findFirst()
                .orElseThrow();
        assertThat(failure.data().get("node_id")).isEqualTo(error.get("node_id"));
        assertThat(failure.data().get("exception_message")).isEqualTo(error.get("exception_message"));
        String promptId = failure.data().get("prompt_id").getAsString();
        assertHistoryMatches(fixture("history_execution_error.json"), promptId);
    }

    @Test
    void anInterruptEndsThePromptAtTheNextStepAsRecorded() throws Exception {
        JsonObject trace = fixture("ws_trace_interrupt.json");
        JsonObject interrupt = fixture("interrupt_running.json");
        standIn.setModels("CheckpointLoaderSimple", List.of(TINY));
        standIn.setStepTime(Duration.ofMillis(50));
        List<Message> run = new ArrayList<>();
        try (TestSocket socket = new TestSocket(http.client(), standIn.baseUrl())) {
            JsonObject request = trace.getAsJsonObject("prompt_request").deepCopy();
            request.addProperty("client_id", socket.clientId());
            assertThat(http.post(standIn.baseUrl() + "/prompt", request.toString()).statusCode()).isEqualTo(200);
            run.addAll(socket.until(message -> "progress".equals(message.type())
                    && message.data().get("value").getAsInt() == 2));

            HttpResponse<String> answer = http.post(standIn.baseUrl() + "/interrupt",
                    interrupt.getAsJsonObject("request").get("body").toString());

            assertMatches(interrupt, answer);
            run.addAll(socket.until(TestSocket::promptDone));
        }
        assertSameMessages(recordedMessages(trace), run);
        Message interrupted = run.stream().filter(message -> "execution_interrupted".equals(message.type()))
                .findFirst().orElseThrow();
        assertThat(interrupted.data().get("node_type").getAsString()).isEqualTo("KSampler");
        String promptId = interrupted.data().get("prompt_id").getAsString();
        assertHistoryMatches(fixture("history_interrupted.json"), promptId);
    }

    @Test
    void theQueueListsTheRunningAndWaitingPromptsAsRecorded() throws Exception {
        JsonObject recorded = fixture("queue_busy.json");
        JsonObject trace = fixture("ws_trace_interrupt.json");
        standIn.setModels("CheckpointLoaderSimple", List.of(TINY));
        standIn.setStepTime(Duration.ofMillis(200));
        JsonObject waiting = new JsonObject();
        waiting.add("prompt", recorded.getAsJsonObject("body").getAsJsonArray("queue_pending").get(0).getAsJsonArray()
                .get(2));
        waiting.addProperty("client_id", "recorder-pending");
        http.post(standIn.baseUrl() + "/prompt", trace.get("prompt_request").toString());
        String waitingId = JsonParser.parseString(http.post(standIn.baseUrl() + "/prompt", waiting.toString()).body())
                .getAsJsonObject().get("prompt_id").getAsString();
        await().atMost(Duration.ofSeconds(10)).until(() -> queue().getAsJsonArray("queue_running").size() == 1);

        assertMatches(recorded, http.get(standIn.baseUrl() + "/queue"));

        JsonObject delete = fixture("queue_delete_pending.json");
        JsonObject command = new JsonObject();
        command.add("delete", JsonParser.parseString("[\"" + waitingId + "\"]"));
        assertMatches(delete, http.post(standIn.baseUrl() + "/queue", command.toString()));
        assertThat(queue().getAsJsonArray("queue_pending")).isEmpty();
        http.post(standIn.baseUrl() + "/interrupt", "{}");
    }

    /** Posts a prompt with a fresh client id and reads its socket until the prompt is done. */
    private List<Message> runToTheEnd(JsonObject recordedRequest) throws Exception {
        try (TestSocket socket = new TestSocket(http.client(), standIn.baseUrl())) {
            JsonObject request = recordedRequest.deepCopy();
            request.addProperty("client_id", socket.clientId());
            HttpResponse<String> answer = http.post(standIn.baseUrl() + "/prompt", request.toString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            return socket.until(TestSocket::promptDone);
        }
    }

    /**
     * Compares a run with a recording after the same normalisation of both: {@code progress_state} (new in ComfyUI,
     * optional) is left out, {@code status} broadcasts while the prompt runs (they are about other clients' prompts)
     * are left out, each run of sampling steps counts as one {@code progress} and one preview, and a recording that
     * stopped before the final {@code executing} with node null is given it.
     */
    private static void assertSameMessages(List<JsonObject> recorded, List<Message> run) {
        List<JsonObject> expected = normalised(recorded, JsonObject::deepCopy);
        if (!type(expected.get(expected.size() - 1)).equals("executing")) {
            expected.add(JsonParser.parseString("{\"type\":\"executing\",\"data\":{\"node\":null,"
                    + "\"prompt_id\":\"x\"}}").getAsJsonObject());
        }
        List<JsonObject> actual = normalised(run.stream().map(ComfyUiStandInFixtureTest::asRecorded).toList(),
                message -> message);
        assertThat(actual.stream().map(ComfyUiStandInFixtureTest::type).toList()).as("message order")
                .isEqualTo(expected.stream().map(ComfyUiStandInFixtureTest::type).toList());
        for (int i = 0; i < expected.size(); i++) {
            JsonObject want = expected.get(i);
            JsonObject got = actual.get(i);
            if (type(want).equals("binary")) {
                assertThat(got.get("event")).as("event of binary message %s", i).isEqualTo(want.get("event"));
                assertThat(got.get("format")).as("format of binary message %s", i).isEqualTo(want.get("format"));
            } else {
                JsonShapes.assertSameShape(want.get("data"), got.get("data"));
            }
        }
        if (actual.size() > 1 && type(actual.get(1)).equals("status")) {
            assertThat(actual.get(0).getAsJsonObject("data").has("sid")).isTrue();
        }
    }

    private static List<JsonObject> normalised(List<JsonObject> messages,
            java.util.function.UnaryOperator<JsonObject> copy) {
        List<JsonObject> kept = new ArrayList<>();
        boolean running = false;
        for (JsonObject message : messages) {
            String type = type(message);
            if (type.equals("progress_state") || (running && type.equals("status"))) {
                continue;
            }
            if (type.equals("execution_start")) {
                running = true;
            } else if (type.startsWith("execution_") && !type.equals("execution_cached")) {
                running = false;
            }
            boolean repeatedStep = kept.size() >= 2 && (type.equals("progress") || type.equals("binary"))
                    && type(kept.get(kept.size() - 2)).equals("progress")
                    && type(kept.get(kept.size() - 1)).equals("binary");
            if (!repeatedStep) {
                kept.add(copy.apply(message));
            }
        }
        return kept;
    }

    /** @return a run's message in the recordings' layout: text as {@code {type, data}}, binary as its header */
    private static JsonObject asRecorded(Message message) {
        if (message.isText()) {
            return message.json();
        }
        JsonObject binary = new JsonObject();
        binary.addProperty("type", "binary");
        binary.addProperty("event", message.header(0));
        binary.addProperty("format", message.header(1));
        return binary;
    }

    private static List<JsonObject> recordedMessages(JsonObject trace) {
        List<JsonObject> messages = new ArrayList<>();
        for (JsonElement element : trace.getAsJsonArray("messages")) {
            JsonObject message = element.getAsJsonObject();
            if (message.get("kind").getAsString().equals("binary")) {
                JsonObject binary = new JsonObject();
                binary.addProperty("type", "binary");
                binary.add("event", message.get("event"));
                binary.add("format", message.get("format"));
                messages.add(binary);
            } else {
                messages.add(message.getAsJsonObject("data"));
            }
        }
        return messages;
    }

    private static String type(JsonObject message) {
        return message.get("type").getAsString();
    }

    /** Compares our history entry with a recorded one, keyed by the prompt id each had. */
    private void assertHistoryMatches(JsonObject recorded, String promptId) throws Exception {
        HttpResponse<String> response = http.get(standIn.baseUrl() + "/history/" + promptId);
        JsonObject recordedBody = recorded.getAsJsonObject("body");
        JsonObject rekeyed = recorded.deepCopy();
        JsonObject body = new JsonObject();
        body.add(promptId, recordedBody.get(recordedBody.keySet().iterator().next()));
        rekeyed.add("body", body);
        assertMatches(rekeyed, response);
    }

    private JsonObject queue() throws Exception {
        return JsonParser.parseString(http.get(standIn.baseUrl() + "/queue").body()).getAsJsonObject();
    }

    /** Reads the first image a node saved, as its history entry lists it. */
    private HttpResponse<byte[]> view(String promptId, String node) throws Exception {
        JsonObject image = JsonParser.parseString(http.get(standIn.baseUrl() + "/history/" + promptId).body())
                .getAsJsonObject().getAsJsonObject(promptId).getAsJsonObject("outputs").getAsJsonObject(node)
                .getAsJsonArray("images").get(0).getAsJsonObject();
        String query = "filename=" + URLEncoder.encode(image.get("filename").getAsString(), StandardCharsets.UTF_8)
                + "&type=" + image.get("type").getAsString() + "&subfolder=" + image.get("subfolder").getAsString();
        return http.client().send(HttpRequest.newBuilder(URI.create(standIn.baseUrl() + "/view?" + query)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static Optional<String> contentTypeOf(HttpResponse<?> response) {
        return response.headers().firstValue("Content-Type");
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
