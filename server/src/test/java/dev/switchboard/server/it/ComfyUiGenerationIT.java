package dev.switchboard.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.switchboard.testkit.comfyui.ComfyUiStandIn;
import dev.switchboard.testkit.server.SwarmApiClient;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generation through the packaged comfyui plugin in a real server against ComfyUI stand-ins on real sockets (HTTP
 * and {@code /ws}): the graph ComfyUI receives, the saved and served PNG, jobs going to the ComfyUI that has the
 * model, jobs never waiting in one ComfyUI's queue while another is free, progress with previews on the WebSocket,
 * InterruptAll reaching ComfyUI, and ComfyUI's own failure reaching the client while the backend stays usable.
 */
final class ComfyUiGenerationIT {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path data;
    private final List<ComfyUiStandIn> comfies = new ArrayList<>();
    private TestServer server;
    private SwarmApiClient api;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(data);
        api = server.client();
    }

    @AfterEach
    void stop() {
        server.close();
        comfies.forEach(ComfyUiStandIn::close);
    }

    private ComfyUiStandIn comfy(String... models) {
        ComfyUiStandIn comfy = ComfyUiStandIn.start();
        comfies.add(comfy);
        comfy.setModels("CheckpointLoaderSimple", List.of(models));
        return comfy;
    }

    private int backend(ComfyUiStandIn comfy, int overQueue) {
        int id = api.call("AddNewBackend", "{\"type_id\":\"comfyui_api\"}").get("id").getAsInt();
        JsonObject edited = api.call("EditBackend", "{\"backend_id\":" + id + ",\"title\":\"GPU " + id
                + "\",\"settings\":{\"Address\":\"" + comfy.baseUrl() + "\",\"OverQueue\":" + overQueue + "}}");
        assertThat(edited.has("error")).as("%s", edited).isFalse();
        await().atMost(PATIENCE).until(() -> "running".equals(view(id).get("status").getAsString()));
        return id;
    }

    private JsonObject view(int id) {
        return api.call("ListBackends", "{\"full_data\":true}").getAsJsonObject(Integer.toString(id));
    }

    @Test
    void comfyUiRunsTheGraphAndTheImageIsSavedAndServed() throws Exception {
        ComfyUiStandIn comfy = comfy("sdxl/base.safetensors");
        backend(comfy, 1);

        JsonObject answer = api.call("GenerateText2Image", "{\"images\":1,\"prompt\":\"a lighthouse\","
                + "\"negativeprompt\":\"fog\",\"model\":\"sdxl/base\",\"width\":128,\"height\":96,\"seed\":7,"
                + "\"steps\":3,\"cfgscale\":5.5}");

        assertThat(answer.has("error")).as("%s", answer).isFalse();
        String path = answer.getAsJsonArray("images").get(0).getAsString();
        assertThat(path).startsWith("View/local/raw/").endsWith(".png");
        HttpResponse<byte[]> served = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(api.baseUrl() + "/" + path.replace(" ", "%20"))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(served.statusCode()).isEqualTo(200);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(served.body()));
        assertThat(image.getWidth()).isEqualTo(128);
        assertThat(image.getHeight()).isEqualTo(96);

        String graph = comfy.prompts().get(0).graph().toString();
        assertThat(graph).contains("\"ckpt_name\":\"sdxl/base.safetensors\"", "\"text\":\"a lighthouse\"",
                "\"text\":\"fog\"", "\"width\":128", "\"height\":96", "\"steps\":3", "\"cfg\":5.5");
        assertThat(view(0).get("current_model").getAsString()).isEqualTo("sdxl/base.safetensors");
    }

    @Test
    void aJobGoesToTheComfyUiThatHasItsModel() {
        ComfyUiStandIn sdxl = comfy("sdxl/base.safetensors");
        ComfyUiStandIn flux = comfy("flux/dev.safetensors");
        backend(sdxl, 1);
        backend(flux, 1);

        for (int i = 0; i < 3; i++) {
            JsonObject answer = api.call("GenerateText2Image", "{\"images\":1,\"model\":\"flux/dev\",\"steps\":2,"
                    + "\"width\":64,\"height\":64,\"donotsave\":true}");
            assertThat(answer.has("error")).as("%s", answer).isFalse();
        }

        assertThat(flux.prompts()).hasSize(3);
        assertThat(sdxl.prompts()).isEmpty();
    }

    @Test
    void jobsNeverWaitInOneComfyUisQueueWhileAnotherIsFree() throws Exception {
        ComfyUiStandIn first = comfy("base.safetensors");
        ComfyUiStandIn second = comfy("base.safetensors");
        first.setStepTime(Duration.ofMillis(100));
        second.setStepTime(Duration.ofMillis(100));
        // OverQueue 0: one job at a time per ComfyUI, so the other images wait here, at the manager.
        int a = backend(first, 0);
        int b = backend(second, 0);

        try (GenerationSocket socket = GenerationSocket.open(api.baseUrl(), "GenerateText2ImageWS",
                "{\"session_id\":\"" + api.session() + "\",\"images\":6,\"model\":\"base\",\"steps\":4,"
                        + "\"width\":64,\"height\":64,\"donotsave\":true}")) {
            await().atMost(PATIENCE).until(() -> view(a).get("usages").getAsInt() == 1
                    && view(b).get("usages").getAsInt() == 1);
            assertThat(api.call("GetCurrentStatus").getAsJsonObject("status").get("waiting_gens").getAsInt())
                    .isPositive();
            List<JsonObject> messages = socket.untilClosed(PATIENCE);
            assertThat(messages).noneMatch(message -> message.has("error"));
            assertThat(messages.stream().filter(message -> message.has("image"))).hasSize(6);
        }

        assertThat(first.prompts().size() + second.prompts().size()).isEqualTo(6);
        assertThat(first.prompts()).isNotEmpty();
        assertThat(second.prompts()).isNotEmpty();
        assertThat(first.mostPromptsAtOnce()).isEqualTo(1);
        assertThat(second.mostPromptsAtOnce()).isEqualTo(1);
    }

    @Test
    void progressWithPreviewsStreamsBackOnTheWebSocket() throws Exception {
        ComfyUiStandIn comfy = comfy("base.safetensors");
        comfy.setStepTime(Duration.ofMillis(50));
        backend(comfy, 1);

        List<JsonObject> messages;
        try (GenerationSocket socket = GenerationSocket.open(api.baseUrl(), "GenerateText2ImageWS",
                "{\"session_id\":\"" + api.session() + "\",\"images\":1,\"model\":\"base\",\"steps\":5,"
                        + "\"width\":64,\"height\":80,\"donotsave\":true}")) {
            messages = socket.untilClosed(PATIENCE);
            assertThat(socket.closeCode()).isEqualTo(1000);
        }

        assertThat(messages).noneMatch(message -> message.has("error"));
        List<JsonObject> progress = messages.stream().filter(message -> message.has("gen_progress"))
                .map(message -> message.getAsJsonObject("gen_progress")).toList();
        assertThat(progress).isNotEmpty();
        assertThat(progress).anyMatch(step -> step.has("preview")
                && step.get("preview").getAsString().startsWith("data:image/"));
        assertThat(progress.stream().mapToDouble(step -> step.get("overall_percent").getAsDouble()).max()
                .orElseThrow()).isGreaterThan(0);
        String image = messages.stream().filter(message -> message.has("image")).findFirst().orElseThrow()
                .get("image").getAsString();
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(
                image.substring(image.indexOf(',') + 1))));
        assertThat(decoded.getHeight()).isEqualTo(80);
    }

    @Test
    void interruptAllReachesComfyUiAndTheBackendStaysUsable() throws Exception {
        ComfyUiStandIn comfy = comfy("base.safetensors");
        comfy.setStepTime(Duration.ofSeconds(5));
        int id = backend(comfy, 1);

        try (GenerationSocket socket = GenerationSocket.open(api.baseUrl(), "GenerateText2ImageWS",
                "{\"session_id\":\"" + api.session() + "\",\"images\":1,\"model\":\"base\",\"steps\":20}")) {
            await().atMost(PATIENCE).until(() -> !comfy.prompts().isEmpty());

            assertThat(api.call("InterruptAll", "{\"other_sessions\":false}").get("success").getAsBoolean()).isTrue();

            assertThat(socket.untilClosed(PATIENCE)).contains(JsonParser.parseString(
                    "{\"error\":\"Generation session interrupted.\"}").getAsJsonObject());
        }
        String promptId = comfy.prompts().get(0).promptId();
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(comfy.requests()).anySatisfy(request -> {
            assertThat(request.is("POST", "/interrupt")).isTrue();
            assertThat(request.body()).contains(promptId);
        }));
        await().atMost(PATIENCE).until(() -> view(id).get("usages").getAsInt() == 0);
        assertThat(view(id).get("status").getAsString()).isEqualTo("running");

        comfy.setStepTime(Duration.ofMillis(10));
        JsonObject again = api.call("GenerateText2Image", "{\"images\":1,\"model\":\"base\",\"steps\":2,"
                + "\"donotsave\":true}");
        assertThat(again.has("error")).as("%s", again).isFalse();
    }

    @Test
    void comfyUisOwnFailureReachesTheClientAndTheBackendStaysUsable() {
        ComfyUiStandIn comfy = comfy("base.safetensors");
        int id = backend(comfy, 1);
        comfy.failExecutionAt("KSamplerAdvanced", "CUDA out of memory. Tried to allocate 2.00 GiB");

        JsonObject failed = api.call("GenerateText2Image", "{\"images\":1,\"model\":\"base\",\"steps\":2}");

        assertThat(failed.get("error").getAsString()).contains("CUDA out of memory. Tried to allocate 2.00 GiB");
        assertThat(view(id).get("status").getAsString()).isEqualTo("running");
        assertThat(view(id).get("usages").getAsInt()).isZero();
        assertThat(comfy.prompts()).hasSize(1);

        comfy.runJobsNormally();
        JsonObject again = api.call("GenerateText2Image", "{\"images\":1,\"model\":\"base\",\"steps\":2,"
                + "\"donotsave\":true}");
        assertThat(again.has("error")).as("%s", again).isFalse();
        assertThat(comfy.prompts()).hasSize(2);
    }

    @Test
    void aRawWorkflowIsFilledRunOncePerImageAndRefusedWhereItsNodesAreMissing() {
        ComfyUiStandIn comfy = comfy("base.safetensors");
        backend(comfy, 1);
        String graph = """
                {"4":{"class_type":"CheckpointLoaderSimple","inputs":{"ckpt_name":"${model}"}},
                 "5":{"class_type":"EmptyLatentImage","inputs":{"width":"%%_COMFYFIXME_${width}_ENDFIXME_%%",
                      "height":"%%_COMFYFIXME_${height}_ENDFIXME_%%","batch_size":1}},
                 "6":{"class_type":"CLIPTextEncode","inputs":{"text":"${prompt}","clip":["4",1]}},
                 "7":{"class_type":"CLIPTextEncode","inputs":{"text":"${negative_prompt:}","clip":["4",1]}},
                 "3":{"class_type":"KSampler","inputs":{"seed":"%%_COMFYFIXME_${seed}_ENDFIXME_%%",
                      "steps":"%%_COMFYFIXME_${steps}_ENDFIXME_%%","cfg":7,"sampler_name":"euler",
                      "scheduler":"normal","denoise":1,"model":["4",0],"positive":["6",0],"negative":["7",0],
                      "latent_image":["5",0]}},
                 "8":{"class_type":"VAEDecode","inputs":{"samples":["3",0],"vae":["4",2]}},
                 "200":{"class_type":"SaveImage","inputs":{"filename_prefix":"${prefix}","images":["8",0]}}}
                """;
        JsonObject request = new JsonObject();
        request.addProperty("images", 2);
        request.addProperty("model", "base");
        request.addProperty("prompt", "a \"quoted\" tower");
        request.addProperty("seed", 40);
        request.addProperty("steps", 2);
        request.addProperty("width", 72);
        request.addProperty("height", 88);
        request.addProperty("donotsave", true);
        request.addProperty("comfyworkflowraw", graph);

        JsonObject answer = api.call("GenerateText2Image", request.toString());

        assertThat(answer.has("error")).as("%s", answer).isFalse();
        assertThat(answer.getAsJsonArray("images")).hasSize(2);
        assertThat(comfy.prompts()).hasSize(2).allSatisfy(prompt -> {
            JsonObject nodes = prompt.graph();
            assertThat(nodes.getAsJsonObject("4").getAsJsonObject("inputs").get("ckpt_name").getAsString())
                    .isEqualTo("base.safetensors");
            assertThat(nodes.getAsJsonObject("6").getAsJsonObject("inputs").get("text").getAsString())
                    .isEqualTo("a \"quoted\" tower");
            assertThat(nodes.getAsJsonObject("5").getAsJsonObject("inputs").get("width").getAsJsonPrimitive()
                    .isNumber()).isTrue();
        });
        assertThat(comfy.prompts().stream().map(prompt -> prompt.graph().getAsJsonObject("3")
                .getAsJsonObject("inputs").get("seed").getAsLong())).containsExactlyInAnyOrder(40L, 41L);

        request.addProperty("comfyworkflowraw", graph.replace("\"VAEDecode\"", "\"FancyDecoder\""));
        assertThat(api.call("GenerateText2Image", request.toString()).get("error").getAsString()).isEqualTo(
                "No backends match the settings of the request given! Backends refused for the following"
                        + " reason(s):\n- The custom workflow contains an unsupported node type 'FancyDecoder'.");
        assertThat(comfy.prompts()).hasSize(2);
    }

    @Test
    void aComfyUiThatDiesMidJobFailsTheJobWithAReasonInsteadOfHangingIt() throws Exception {
        ComfyUiStandIn comfy = comfy("base.safetensors");
        comfy.setStepTime(Duration.ofSeconds(5));
        int id = backend(comfy, 1);

        try (GenerationSocket socket = GenerationSocket.open(api.baseUrl(), "GenerateText2ImageWS",
                "{\"session_id\":\"" + api.session() + "\",\"images\":1,\"model\":\"base\",\"steps\":20}")) {
            await().atMost(PATIENCE).until(() -> !comfy.prompts().isEmpty());

            comfy.close();

            // The deadline: a socket the JDK client never sees closing is noticed by the 30 s quiet check.
            List<JsonObject> messages = socket.untilClosed(Duration.ofSeconds(90));
            assertThat(messages).anySatisfy(message -> assertThat(message.has("error")
                    && message.get("error").getAsString().contains("ComfyUI at " + comfy.baseUrl())).isTrue());
        }
        await().atMost(PATIENCE).until(() -> view(id).get("usages").getAsInt() == 0);
    }
}
