package dev.switchboard.testkit.comfyui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.switchboard.testkit.comfyui.TestSocket.Message;
import java.awt.image.BufferedImage;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The stand-in's generation: images, previews, SwarmSaveImageWS, the queue and the job failure modes. */
final class ComfyUiStandInGenerationTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private final TestHttp http = new TestHttp();
    private final ComfyUiStandIn standIn = ComfyUiStandIn.start();

    @AfterEach
    void tearDown() {
        standIn.close();
    }

    @Test
    void savedImagesHaveTheLatentSizeAndBatchAndPixelsThatFollowTheSeed() throws Exception {
        standIn.setModels("CheckpointLoaderSimple", List.of("base.safetensors"));

        String first = run(txt2img(72, 48, 2, 1, "SaveImage"));
        String again = run(txt2img(72, 48, 2, 1, "SaveImage"));
        String otherSeed = run(txt2img(72, 48, 2, 2, "SaveImage"));

        List<byte[]> images = savedImages(first);
        assertThat(images).hasSize(2);
        for (byte[] png : images) {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
            assertThat(image.getWidth()).isEqualTo(72);
            assertThat(image.getHeight()).isEqualTo(48);
        }
        assertThat(pixels(images.get(0))).isNotEqualTo(pixels(images.get(1)));
        assertThat(pixels(savedImages(again).get(0))).isEqualTo(pixels(images.get(0)));
        assertThat(pixels(savedImages(otherSeed).get(0))).isNotEqualTo(pixels(images.get(0)));
    }

    @Test
    void swarmSaveImageWsSendsEachImageAfterTheMarkerAndIsServedOnlyWhenSwitchedOn() throws Exception {
        standIn.setModels("CheckpointLoaderSimple", List.of("base.safetensors"));
        assertThat(standIn.nodeNames()).doesNotContain("SwarmSaveImageWS");
        assertThat(post(txt2img(64, 64, 1, 1, "SwarmSaveImageWS")).statusCode()).isEqualTo(400);

        standIn.serveSwarmSaveImageWs(true);
        List<Message> messages;
        try (TestSocket socket = new TestSocket(http.client(), standIn.baseUrl())) {
            JsonObject request = txt2img(96, 64, 2, 5, "SwarmSaveImageWS");
            request.addProperty("client_id", socket.clientId());
            assertThat(post(request).statusCode()).isEqualTo(200);
            messages = socket.until(TestSocket::promptDone);
        }

        List<Integer> markers = indexes(messages, message -> "progress".equals(message.type())
                && message.data().get("max").getAsInt() == 12345);
        assertThat(markers).hasSize(2);
        for (int marker : markers) {
            assertThat(messages.get(marker).data().keySet()).containsExactlyInAnyOrder("value", "max");
            Message frame = messages.get(marker + 1);
            assertThat(frame.isBinary()).isTrue();
            assertThat(frame.header(0)).isEqualTo(1);
            assertThat(frame.header(1)).isEqualTo(2);
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(frame.payload()));
            assertThat(image.getWidth()).isEqualTo(96);
            assertThat(image.getHeight()).isEqualTo(64);
        }
        assertThat(messages).noneMatch(message -> "executed".equals(message.type()));
        standIn.serveSwarmSaveImageWs(false);
        assertThat(standIn.nodeNames()).doesNotContain("SwarmSaveImageWS");
    }

    @Test
    void previewsAreJpegOrPngFramesOnePerStep() throws Exception {
        standIn.setModels("CheckpointLoaderSimple", List.of("base.safetensors"));
        standIn.sendPngPreviews(true);
        List<Message> messages;
        try (TestSocket socket = new TestSocket(http.client(), standIn.baseUrl())) {
            JsonObject request = txt2img(64, 64, 1, 1, "SaveImage");
            request.addProperty("client_id", socket.clientId());
            post(request);
            messages = socket.until(TestSocket::promptDone);
        }

        List<Message> previews = messages.stream().filter(Message::isBinary).toList();
        assertThat(previews).hasSize(3);
        assertThat(previews).allSatisfy(frame -> {
            assertThat(frame.header(0)).isEqualTo(1);
            assertThat(frame.header(1)).isEqualTo(2);
            assertThat(ImageIO.read(new ByteArrayInputStream(frame.payload()))).isNotNull();
        });
        assertThat(messages.stream().filter(message -> "progress".equals(message.type()))
                .map(message -> message.data().get("value").getAsInt())).containsExactly(1, 2, 3);
    }

    @Test
    void aClientsPromptIdIsKeptAndEveryPromptIsRecorded() throws Exception {
        standIn.setModels("CheckpointLoaderSimple", List.of("base.safetensors"));
        JsonObject request = txt2img(64, 64, 1, 1, "SaveImage");
        request.addProperty("client_id", "me");
        request.addProperty("prompt_id", "my-own-id");

        HttpResponse<String> answer = post(request);

        assertThat(JsonParser.parseString(answer.body()).getAsJsonObject().get("prompt_id").getAsString())
                .isEqualTo("my-own-id");
        assertThat(standIn.prompts()).singleElement().satisfies(prompt -> {
            assertThat(prompt.promptId()).isEqualTo("my-own-id");
            assertThat(prompt.clientId()).isEqualTo("me");
            assertThat(prompt.graph()).isEqualTo(request.get("prompt"));
        });
    }

    @Test
    void theHistoryEntryCanAppearAMomentAfterThePromptEnded() throws Exception {
        standIn.setModels("CheckpointLoaderSimple", List.of("base.safetensors"));
        standIn.setHistoryDelay(Duration.ofMillis(500));

        String promptId = run(txt2img(64, 64, 1, 1, "SaveImage"));

        assertThat(http.get(standIn.baseUrl() + "/history/" + promptId).body()).isEqualTo("{}");
        await().atMost(PATIENCE).until(() -> !http.get(standIn.baseUrl() + "/history/" + promptId).body()
                .equals("{}"));
    }

    @Test
    void stalledJobsAreAcceptedAndSilentUntilReleased() throws Exception {
        standIn.setModels("CheckpointLoaderSimple", List.of("base.safetensors"));
        standIn.stallJobs();
        try (TestSocket socket = new TestSocket(http.client(), standIn.baseUrl())) {
            assertThat(socket.next().type()).isEqualTo("status");
            JsonObject request = txt2img(64, 64, 1, 1, "SaveImage");
            request.addProperty("client_id", socket.clientId());
            assertThat(post(request).statusCode()).isEqualTo(200);

            assertThat(socket.quietFor(Duration.ofMillis(500))).isTrue();
            assertThat(queue().getAsJsonArray("queue_running")).hasSize(1);

            standIn.runJobsNormally();
            assertThat(socket.until(TestSocket::promptDone)).anyMatch(m -> "execution_success".equals(m.type()));
        }
    }

    @Test
    void droppedSocketsEndWithoutACloseFrameWhileThePromptRunsOn() throws Exception {
        standIn.setModels("CheckpointLoaderSimple", List.of("base.safetensors"));
        standIn.dropSocketsAfterSteps(1);
        // A plain socket, so the test sees exactly what reaches the client (the JDK's WebSocket client does not
        // always report a connection the server cut).
        try (Socket raw = new Socket("127.0.0.1", standIn.port())) {
            raw.setSoTimeout((int) PATIENCE.toMillis());
            raw.getOutputStream().write(("GET /ws?clientId=raw HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            DataInputStream in = new DataInputStream(new BufferedInputStream(raw.getInputStream()));
            assertThat(line(in)).startsWith("HTTP/1.1 101");
            while (!line(in).isEmpty()) {
                // the rest of the handshake's headers
            }
            JsonObject request = txt2img(64, 64, 1, 1, "SaveImage");
            request.addProperty("client_id", "raw");
            String promptId = JsonParser.parseString(post(request).body()).getAsJsonObject().get("prompt_id")
                    .getAsString();

            List<Integer> opcodes = new java.util.ArrayList<>();
            for (int first = in.read(); first >= 0; first = in.read()) {
                int second = in.readUnsignedByte();
                long length = second & 0x7F;
                length = length == 126 ? in.readUnsignedShort() : length == 127 ? in.readLong() : length;
                in.skipNBytes(length);
                opcodes.add(first & 0x0F);
            }

            // Text and binary frames (one step and its preview), then the end of the stream, no close frame (8).
            assertThat(opcodes).contains(1, 2).doesNotContain(8);
            await().atMost(PATIENCE).until(() -> !http.get(standIn.baseUrl() + "/history/" + promptId).body()
                    .equals("{}"));
        }
    }

    @Test
    void aPendingPromptCanBeDeletedAndOnlyTheRunningOneIsInterrupted() throws Exception {
        standIn.setModels("CheckpointLoaderSimple", List.of("base.safetensors"));
        standIn.setStepTime(Duration.ofMillis(100));
        JsonObject slow = txt2img(64, 64, 1, 1, "SaveImage");
        slow.getAsJsonObject("prompt").getAsJsonObject("10").getAsJsonObject("inputs").addProperty("steps", 200);
        String running = JsonParser.parseString(post(slow).body()).getAsJsonObject().get("prompt_id").getAsString();
        String waiting = JsonParser.parseString(post(slow).body()).getAsJsonObject().get("prompt_id").getAsString();
        await().atMost(PATIENCE).until(() -> queue().getAsJsonArray("queue_running").size() == 1);

        http.post(standIn.baseUrl() + "/interrupt", "{\"prompt_id\":\"" + waiting + "\"}");
        http.post(standIn.baseUrl() + "/queue", "{\"delete\":[\"" + waiting + "\"]}");
        assertThat(queue().getAsJsonArray("queue_pending")).isEmpty();
        assertThat(queue().getAsJsonArray("queue_running").get(0).getAsJsonArray().get(1).getAsString())
                .isEqualTo(running);

        http.post(standIn.baseUrl() + "/interrupt", "{\"prompt_id\":\"" + running + "\"}");
        await().atMost(PATIENCE).until(() -> queue().getAsJsonArray("queue_running").isEmpty());
        assertThat(http.get(standIn.baseUrl() + "/history/" + running).body()).contains("execution_interrupted");
        assertThat(http.get(standIn.baseUrl() + "/history/" + waiting).body()).isEqualTo("{}");
        assertThat(standIn.mostPromptsAtOnce()).isEqualTo(2);
        assertThat(standIn.mostUnfinishedPromptsAtOnce()).isEqualTo(2);
    }

    @Test
    void promptsRunOneAfterAnotherCountAsOneAtOnce() throws Exception {
        standIn.setModels("CheckpointLoaderSimple", List.of("base.safetensors"));
        assertThat(standIn.mostPromptsAtOnce()).isZero();
        assertThat(standIn.mostUnfinishedPromptsAtOnce()).isZero();

        run(txt2img(64, 64, 1, 1, "SaveImage"));
        run(txt2img(64, 64, 1, 1, "SaveImage"));

        assertThat(standIn.prompts()).hasSize(2);
        assertThat(standIn.mostPromptsAtOnce()).isEqualTo(1);
        assertThat(standIn.mostUnfinishedPromptsAtOnce()).isEqualTo(1);
    }

    @Test
    void socketMessagesFromClientsAreRecorded() throws Exception {
        try (TestSocket socket = new TestSocket(http.client(), standIn.baseUrl(), "client-7")) {
            socket.socket().sendText("{\"type\":\"feature_flags\",\"data\":{}}", true);
            await().atMost(PATIENCE).until(() -> !standIn.socketMessages().isEmpty());
            assertThat(standIn.openSockets()).isEqualTo(1);
        }

        assertThat(standIn.socketMessages()).containsExactly(
                new SocketMessage("client-7", "{\"type\":\"feature_flags\",\"data\":{}}"));
        await().atMost(PATIENCE).until(() -> standIn.openSockets() == 0);
    }

    @Test
    void closingEndsEveryThreadOfTheStandIn() throws Exception {
        java.util.Set<Thread> before = Thread.getAllStackTraces().keySet();
        ComfyUiStandIn other = ComfyUiStandIn.start();
        other.setModels("CheckpointLoaderSimple", List.of("base.safetensors"));
        other.setStepTime(Duration.ofMillis(50));
        TestSocket socket = new TestSocket(http.client(), other.baseUrl());
        JsonObject request = txt2img(64, 64, 1, 1, "SaveImage");
        request.getAsJsonObject("prompt").getAsJsonObject("10").getAsJsonObject("inputs").addProperty("steps", 200);
        request.addProperty("client_id", socket.clientId());
        http.post(other.baseUrl() + "/prompt", request.toString());
        other.stall();
        java.util.concurrent.CompletableFuture<HttpResponse<String>> held = http.client().sendAsync(
                HttpRequest.newBuilder(URI.create(other.baseUrl() + "/queue")).build(),
                HttpResponse.BodyHandlers.ofString());
        await().atMost(PATIENCE).until(() -> other.heldRequests() == 1);

        other.close();

        socket.close();
        await().atMost(PATIENCE).until(held::isDone);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> !before.contains(thread) && thread.isAlive()
                        && thread.getName().startsWith("comfyui-stand-in"))
                .map(Thread::getName).toList()).isEmpty());
    }

    @Test
    void viewOfAnUnknownFileIs404() throws Exception {
        HttpResponse<String> response = http.get(standIn.baseUrl() + "/view?filename=nothing.png&type=output");

        assertThat(response.statusCode()).isEqualTo(404);
    }

    /** SwarmUI's standard graph with KSamplerAdvanced, 3 steps. */
    private static JsonObject txt2img(int width, int height, int batch, long seed, String saveNode) {
        String save = saveNode.equals("SaveImage")
                ? "{\"class_type\":\"SaveImage\",\"inputs\":{\"images\":[\"8\",0],\"filename_prefix\":\"SwarmUI_ab_\"}}"
                : "{\"class_type\":\"SwarmSaveImageWS\",\"inputs\":{\"images\":[\"8\",0],\"bit_depth\":\"8bit\"}}";
        String graph = "{"
                + "\"4\":{\"class_type\":\"CheckpointLoaderSimple\",\"inputs\":{\"ckpt_name\":\"base.safetensors\"}},"
                + "\"5\":{\"class_type\":\"EmptyLatentImage\",\"inputs\":{\"width\":" + width + ",\"height\":" + height
                + ",\"batch_size\":" + batch + "}},"
                + "\"6\":{\"class_type\":\"CLIPTextEncode\",\"inputs\":{\"text\":\"a cat\",\"clip\":[\"4\",1]}},"
                + "\"7\":{\"class_type\":\"CLIPTextEncode\",\"inputs\":{\"text\":\"\",\"clip\":[\"4\",1]}},"
                + "\"10\":{\"class_type\":\"KSamplerAdvanced\",\"inputs\":{\"model\":[\"4\",0],\"add_noise\":\"enable\","
                + "\"noise_seed\":" + seed + ",\"steps\":3,\"cfg\":7.0,\"sampler_name\":\"euler\",\"scheduler\":\"normal\","
                + "\"positive\":[\"6\",0],\"negative\":[\"7\",0],\"latent_image\":[\"5\",0],\"start_at_step\":0,"
                + "\"end_at_step\":10000,\"return_with_leftover_noise\":\"disable\"}},"
                + "\"8\":{\"class_type\":\"VAEDecode\",\"inputs\":{\"samples\":[\"10\",0],\"vae\":[\"4\",2]}},"
                + "\"9\":" + save + "}";
        JsonObject request = new JsonObject();
        request.add("prompt", JsonParser.parseString(graph));
        return request;
    }

    private HttpResponse<String> post(JsonObject request) throws Exception {
        return http.post(standIn.baseUrl() + "/prompt", request.toString());
    }

    /** Runs a prompt to its end and returns its id. */
    private String run(JsonObject request) throws Exception {
        try (TestSocket socket = new TestSocket(http.client(), standIn.baseUrl())) {
            request.addProperty("client_id", socket.clientId());
            HttpResponse<String> answer = post(request);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            socket.until(TestSocket::promptDone);
            return JsonParser.parseString(answer.body()).getAsJsonObject().get("prompt_id").getAsString();
        }
    }

    private List<byte[]> savedImages(String promptId) throws Exception {
        JsonObject entry = JsonParser.parseString(http.get(standIn.baseUrl() + "/history/" + promptId).body())
                .getAsJsonObject().getAsJsonObject(promptId);
        List<byte[]> images = new java.util.ArrayList<>();
        for (var image : entry.getAsJsonObject("outputs").getAsJsonObject("9").getAsJsonArray("images")) {
            JsonObject file = image.getAsJsonObject();
            HttpResponse<byte[]> response = http.client().send(HttpRequest.newBuilder(URI.create(standIn.baseUrl()
                    + "/view?filename=" + file.get("filename").getAsString() + "&type=output&subfolder=")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).contains("image/png");
            images.add(response.body());
        }
        return images;
    }

    private static int[] pixels(byte[] png) throws Exception {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }

    private JsonObject queue() throws Exception {
        return JsonParser.parseString(http.get(standIn.baseUrl() + "/queue").body()).getAsJsonObject();
    }

    private static String line(DataInputStream in) throws java.io.IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    private static List<Integer> indexes(List<Message> messages, java.util.function.Predicate<Message> match) {
        return java.util.stream.IntStream.range(0, messages.size()).filter(i -> match.test(messages.get(i)))
                .boxed().toList();
    }
}
