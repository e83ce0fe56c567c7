package dev.switchboard.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.switchboard.server.bootstrap.ServerOptions;
import dev.switchboard.server.dispatch.DispatchOptions;
import dev.switchboard.server.http.AccessPolicy;
import dev.switchboard.server.outputs.PngText;
import dev.switchboard.testkit.server.SwarmApiClient;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generation end to end on a real port: the packaged example-echo plugin (it draws real PNGs in Java) as the
 * backends, GenerateText2Image over HTTP and its WebSocket form, saved files served by /View/, data URLs, refusals,
 * interrupts, a client that goes away, the queue's bound, and a plugin without generation that gets no jobs.
 */
final class GenerationIT {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path temp;
    private TestServer server;
    private SwarmApiClient api;

    private void start(DispatchOptions dispatch) throws Exception {
        Path plugins = TestPlugins.copyShipped(temp);
        copy(Path.of(System.getProperty("switchboard.test.example.plugins")).resolve("example-echo"),
                plugins.resolve("example-echo"));
        server = TestServer.start(new ServerOptions("127.0.0.1", 0, temp.resolve("data"), plugins, false, 1 << 20,
                Duration.ofMinutes(10), AccessPolicy.LOOPBACK_DEFAULTS, dispatch));
        api = server.client();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private int echo(String settings) {
        int id = api.call("AddNewBackend", "{\"type_id\":\"example_echo\"}").get("id").getAsInt();
        JsonObject edited = api.call("EditBackend", "{\"backend_id\":" + id + ",\"title\":\"echo " + id
                + "\",\"settings\":" + settings + "}");
        assertThat(edited.has("error")).as("%s", edited).isFalse();
        await().atMost(PATIENCE).until(() -> "running".equals(view(id).get("status").getAsString()));
        return id;
    }

    private JsonObject view(int id) {
        return api.call("ListBackends", "{\"full_data\":true}").getAsJsonObject(Integer.toString(id));
    }

    @Test
    void anImageIsGeneratedSavedAndServedByView() throws Exception {
        start(DispatchOptions.defaults());
        echo("{\"StepMillis\":5}");

        JsonObject answer = api.call("GenerateText2Image", "{\"images\":1,\"prompt\":\"a red fox\",\"model\":"
                + "\"echo/gradient\",\"width\":96,\"height\":64,\"seed\":42,\"steps\":3}");

        assertThat(answer.keySet()).containsExactly("images");
        String path = answer.getAsJsonArray("images").get(0).getAsString();
        // SwarmUI's [model] tag: the name without its extension, '/' removed.
        assertThat(path).matches("View/local/raw/\\d{4}-\\d{2}-\\d{2}/\\d{7}-a red fox-echogradient\\.png");
        HttpResponse<byte[]> served = get("/" + path.replace(" ", "%20"));
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.headers().firstValue("Content-Type")).contains("image/png");
        assertThat(served.headers().firstValue("ETag")).isPresent();
        var image = ImageIO.read(new ByteArrayInputStream(served.body()));
        assertThat(image.getWidth()).isEqualTo(96);
        assertThat(image.getHeight()).isEqualTo(64);
        JsonObject parameters = JsonParser.parseString(PngText.read(served.body()).get("parameters"))
                .getAsJsonObject().getAsJsonObject("sui_image_params");
        assertThat(parameters.get("seed").getAsLong()).isEqualTo(42);
        assertThat(parameters.get("model").getAsString()).isEqualTo("echo/gradient.safetensors");
        assertThat(view(0).get("current_model").getAsString()).isEqualTo("echo/gradient.safetensors");
        assertThat(get("/View/local/../../data/backends.json").statusCode()).isIn(400, 404);
        assertThat(get("/View/local/raw/no-such.png").statusCode()).isEqualTo(404);
    }

    @Test
    void doNotSaveAnswersDataUrlsAndWritesNothing() throws Exception {
        start(DispatchOptions.defaults());
        echo("{\"StepMillis\":0}");

        JsonObject answer = api.call("GenerateText2Image", "{\"images\":2,\"model\":\"echo/stripes\",\"width\":80,"
                + "\"height\":80,\"donotsave\":true}");

        assertThat(answer.getAsJsonArray("images")).hasSize(2).allSatisfy(element -> {
            String url = element.getAsString();
            assertThat(url).startsWith("data:image/png;base64,");
            assertThat(decode(url).getWidth()).isEqualTo(80);
        });
        assertThat(temp.resolve("data").resolve("outputs")).doesNotExist();
    }

    @Test
    void fourImagesRunOnTwoBackendsAtOnce() throws Exception {
        start(DispatchOptions.defaults());
        int first = echo("{\"StepMillis\":400,\"Slots\":1}");
        int second = echo("{\"StepMillis\":400,\"Slots\":1}");

        try (GenerationSocket socket = GenerationSocket.open(api.baseUrl(), "GenerateText2ImageWS",
                "{\"session_id\":\"" + api.session() + "\",\"images\":4,\"model\":\"echo/gradient\",\"steps\":4,"
                        + "\"width\":64,\"height\":64,\"donotsave\":true}")) {
            await().atMost(PATIENCE).until(() -> view(first).get("usages").getAsInt() == 1
                    && view(second).get("usages").getAsInt() == 1);
            JsonObject status = api.call("GetCurrentStatus").getAsJsonObject("status");
            assertThat(status.get("live_gens").getAsInt()).isEqualTo(2);
            assertThat(status.get("waiting_backends").getAsInt()).isEqualTo(2);
            List<JsonObject> messages = socket.untilClosed(PATIENCE);
            assertThat(messages.stream().filter(message -> message.has("image"))).hasSize(4);
            assertThat(socket.closeCode()).isEqualTo(1000);
        }
        assertThat(view(first).get("usages").getAsInt()).isZero();
        assertThat(view(second).get("usages").getAsInt()).isZero();
    }

    @Test
    void theWebSocketStreamsInSwarmUisOrderAndClosesProperly() throws Exception {
        start(DispatchOptions.defaults());
        echo("{\"StepMillis\":100}");

        List<JsonObject> messages;
        try (GenerationSocket socket = GenerationSocket.open(api.baseUrl(), "GenerateText2ImageWS",
                "{\"session_id\":\"" + api.session() + "\",\"images\":1,\"model\":\"echo/gradient\",\"steps\":4,"
                        + "\"width\":64,\"height\":128,\"donotsave\":true,\"forwardswarmdata\":true,"
                        + "\"exactbackendid\":0}")) {
            messages = socket.untilClosed(PATIENCE);
            assertThat(socket.closeCode()).isEqualTo(1000);
        }

        assertThat(messages).noneMatch(message -> message.has("error"));
        List<String> kinds = new ArrayList<>();
        messages.forEach(message -> kinds.add(message.keySet().iterator().next()));
        assertThat(kinds.get(0)).isEqualTo("status");
        assertThat(kinds).contains("gen_progress", "keep_alive");
        assertThat(kinds.indexOf("raw_swarm_data")).isEqualTo(kinds.indexOf("image") - 1);
        assertThat(kinds.subList(kinds.size() - 2, kinds.size())).containsExactly("discard_indices", "status");
        JsonObject progress = messages.stream().filter(message -> message.has("gen_progress")).findFirst()
                .orElseThrow().getAsJsonObject("gen_progress");
        assertThat(progress.get("batch_index").getAsString()).isEqualTo("0");
        assertThat(progress.get("request_id").getAsJsonPrimitive().isString()).isTrue();
        assertThat(progress.get("overall_percent").getAsJsonPrimitive().isNumber()).isTrue();
        assertThat(messages.stream().anyMatch(message -> message.has("gen_progress")
                && message.getAsJsonObject("gen_progress").has("preview"))).isTrue();
        JsonObject image = messages.get(kinds.indexOf("image"));
        assertThat(decode(image.get("image").getAsString()).getHeight()).isEqualTo(128);
        assertThat(image.get("batch_index").getAsString()).isEqualTo("0");
        assertThat(messages.get(kinds.indexOf("raw_swarm_data")).getAsJsonObject("raw_swarm_data")
                .getAsJsonArray("params_used").toString()).contains("\"model\"", "\"steps\"");
    }

    @Test
    void refusalsComeInSwarmUisWords() throws Exception {
        start(DispatchOptions.defaults());
        echo("{\"StepMillis\":0}");

        assertThat(error("{\"images\":1,\"model\":\"nowhere/missing\"}")).isEqualTo("Invalid value for parameter"
                + " Model: Invalid model value for param Model - 'nowhere/missing' - are you sure that model name is"
                + " correct?");
        assertThat(error("{\"images\":1,\"model\":\"echo/gradient\",\"initimage\":\"aGVsbG8gd29ybGQh\"}"))
                .isEqualTo("Switchboard cannot use the parameter 'initimage' yet: it would change the image and no"
                        + " backend here can honour it. Remove it to generate without it.");
        assertThat(error("{\"images\":1,\"model\":\"echo/gradient\",\"sampler\":\"euler\"}")).isEqualTo("No backends"
                + " match the settings of the request given! Backends refused for the following reason(s):\n- Request"
                + " requires flag 'comfyui' which is not present on the backend.");
        assertThat(error("{\"model\":\"echo/gradient\"}")).isEqualTo("Missing required parameter 'images'");
        try (GenerationSocket socket = GenerationSocket.open(api.baseUrl(), "GenerateText2ImageWS",
                "{\"session_id\":\"nonsense\",\"images\":1}")) {
            assertThat(socket.untilClosed(PATIENCE)).containsExactly(JsonParser.parseString(
                    "{\"error\":\"Invalid session ID. You may need to refresh the page.\",\"error_id\":"
                            + "\"invalid_session_id\"}").getAsJsonObject());
        }
        try (GenerationSocket socket = GenerationSocket.open(api.baseUrl(), "ListBackendsWS",
                "{\"session_id\":\"" + api.session() + "\"}")) {
            assertThat(socket.untilClosed(PATIENCE)).containsExactly(JsonParser.parseString(
                    "{\"error\":\"Unknown API route.\",\"error_id\":\"bad_route\"}").getAsJsonObject());
        }
    }

    @Test
    void interruptAllEndsASlowJobPromptly() throws Exception {
        start(DispatchOptions.defaults());
        echo("{\"StepMillis\":60000}");
        try (GenerationSocket socket = GenerationSocket.open(api.baseUrl(), "GenerateText2ImageWS",
                "{\"session_id\":\"" + api.session() + "\",\"images\":2,\"model\":\"echo/gradient\",\"steps\":5}")) {
            await().atMost(PATIENCE).until(() -> view(0).get("usages").getAsInt() == 1);

            assertThat(api.call("InterruptAll", "{\"other_sessions\":false}").get("success").getAsBoolean()).isTrue();
            long interrupted = System.nanoTime();
            List<JsonObject> messages = socket.untilClosed(PATIENCE);
            assertThat(Duration.ofNanos(System.nanoTime() - interrupted)).isLessThan(Duration.ofSeconds(2));
            assertThat(messages).contains(JsonParser.parseString("{\"error\":\"Generation session interrupted.\"}")
                    .getAsJsonObject());
        }
        assertThat(view(0).get("usages").getAsInt()).isZero();
    }

    @Test
    void aClientThatGoesAwayCancelsItsJobs() throws Exception {
        start(DispatchOptions.defaults());
        echo("{\"StepMillis\":60000}");
        GenerationSocket socket = GenerationSocket.open(api.baseUrl(), "GenerateText2ImageWS",
                "{\"session_id\":\"" + api.session() + "\",\"images\":3,\"model\":\"echo/gradient\",\"steps\":5}");
        await().atMost(PATIENCE).until(() -> view(0).get("usages").getAsInt() == 1);

        socket.abort();
        await().atMost(PATIENCE).untilAsserted(() -> {
            JsonObject status = api.call("GetCurrentStatus").getAsJsonObject("status");
            assertThat(status.get("live_gens").getAsInt()).isZero();
            assertThat(status.get("waiting_gens").getAsInt()).isZero();
            assertThat(view(0).get("usages").getAsInt()).isZero();
        });
    }

    @Test
    void aFullQueueRefusesTheWholeRequest() throws Exception {
        start(new DispatchOptions(3, 100, DispatchOptions.DEFAULT_QUEUE_TIMEOUT, DispatchOptions.DEFAULT_JOB_TIMEOUT));
        echo("{\"StepMillis\":0}");
        assertThat(error("{\"images\":4,\"model\":\"echo/gradient\"}")).isEqualTo("Too many generations are waiting"
                + " for this session (0 waiting, 4 more asked, at most 3). Nothing was queued.");
        assertThat(api.call("GetCurrentStatus").getAsJsonObject("status").get("waiting_gens").getAsInt()).isZero();
    }

    @Test
    void aPluginWithoutGenerationIsNeverGivenJobs() throws Exception {
        Path plugins = TestPlugins.withFake(temp);
        server = TestServer.start(temp.resolve("data"), plugins, false);
        api = server.client();
        int id = api.call("AddNewBackend", "{\"type_id\":\"fake_parent\"}").get("id").getAsInt();
        await().atMost(PATIENCE).until(() -> "running".equals(view(id).get("status").getAsString()));

        assertThat(error("{\"images\":1,\"comfyworkflowraw\":\"{}\"}")).isEqualTo("No backends available!");
        assertThat(view(id).get("status").getAsString()).isEqualTo("running");
        // The fake plugin's classes name nothing of the generation contract, so they are what compiling against
        // the contract before generation existed produces: such a plugin loads and runs, and gets no jobs.
        try (JarFile jar = new JarFile(plugins.resolve("fake-1.0.0.jar").toFile())) {
            List<JarEntry> classes = jar.stream().filter(entry -> entry.getName().endsWith(".class")).toList();
            assertThat(classes).isNotEmpty();
            for (JarEntry entry : classes) {
                String constants = new String(jar.getInputStream(entry).readAllBytes(), StandardCharsets.ISO_8859_1);
                assertThat(constants).as(entry.getName()).contains("dev/switchboard/api/")
                        .doesNotContain("dev/switchboard/api/generation/");
            }
        }
    }

    @Test
    void listModelsAnswersEveryFieldAMasterReadsWithItsType() throws Exception {
        start(DispatchOptions.defaults());
        echo("{\"Models\":\"echo/gradient.safetensors,echo/deep/stripes.safetensors,top.safetensors\"}");
        api.call("GenerateText2Image", "{\"images\":1,\"model\":\"top\",\"donotsave\":true}");

        JsonObject all = api.call("ListModels", "{\"path\":\"\",\"depth\":999,\"subtype\":\"Stable-Diffusion\","
                + "\"allowRemote\":true,\"dataImages\":true}");
        assertThat(all.getAsJsonArray("folders").toString()).isEqualTo("[\"echo\",\"echo/deep\"]");
        assertThat(all.getAsJsonArray("files")).hasSize(3).allSatisfy(element -> {
            JsonObject file = element.getAsJsonObject();
            assertThat(file.get("name").getAsJsonPrimitive().isString()).isTrue();
            assertThat(file.get("title").getAsJsonPrimitive().isString()).isTrue();
            assertThat(file.get("loaded").getAsJsonPrimitive().isBoolean()).isTrue();
            assertThat(file.get("standard_width").getAsJsonPrimitive().isNumber()).isTrue();
            assertThat(file.get("standard_height").getAsJsonPrimitive().isNumber()).isTrue();
            assertThat(file.get("is_supported_model_format").getAsBoolean()).isTrue();
            assertThat(file.get("local").getAsBoolean()).isTrue();
        });
        JsonObject top = find(all, "top.safetensors");
        assertThat(top.get("loaded").getAsBoolean()).isTrue();
        JsonObject shallow = api.call("ListModels", "{\"path\":\"echo\",\"depth\":1}");
        assertThat(shallow.getAsJsonArray("files")).hasSize(1);
        assertThat(shallow.getAsJsonArray("folders").toString()).isEqualTo("[\"echo/deep\"]");
        for (String subtype : List.of("VAE", "LoRA", "Embedding", "ControlNet", "Clip", "ClipVision")) {
            assertThat(api.call("ListModels", "{\"path\":\"\",\"depth\":999,\"subtype\":\"" + subtype + "\"}")
                    .getAsJsonArray("files")).as(subtype).isEmpty();
        }
        assertThat(api.call("ListModels", "{\"path\":\"\",\"depth\":2,\"subtype\":\"Pictures\"}").get("error")
                .getAsString()).isEqualTo("Invalid sub-type.");
        assertThat(api.call("SelectModel", "{\"model\":\"echo/gradient\",\"backendId\":0}").get("success")
                .getAsBoolean()).isTrue();
        assertThat(api.call("SelectModel", "{\"model\":\"echo/gradient\",\"backendId\":-5}").get("error")
                .getAsString()).isEqualTo("Model failed to load.");
        assertThat(api.call("SelectModel", "{\"model\":\"elsewhere\"}").get("error").getAsString())
                .isEqualTo("Model not found.");
    }

    private static JsonObject find(JsonObject list, String name) {
        for (JsonElement file : list.getAsJsonArray("files")) {
            if (file.getAsJsonObject().get("name").getAsString().equals(name)) {
                return file.getAsJsonObject();
            }
        }
        throw new AssertionError(name + " not listed");
    }

    private String error(String request) {
        JsonObject answer = api.call("GenerateText2Image", request);
        assertThat(answer.has("error")).as("%s", answer).isTrue();
        return answer.get("error").getAsString();
    }

    private HttpResponse<byte[]> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(api.baseUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static BufferedImage decode(String dataUrl) {
        try {
            return ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(
                    dataUrl.substring(dataUrl.indexOf(',') + 1))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }
}
