package dev.switchboard.server.it.swarm;

import static dev.switchboard.server.it.swarm.SwarmServers.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import dev.switchboard.server.bootstrap.SwitchboardServer;
import dev.switchboard.testkit.comfyui.ComfyUiStandIn;
import dev.switchboard.testkit.comfyui.ReceivedPrompt;
import dev.switchboard.testkit.server.SwarmApiClient;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two tiers as issue 17 item 4 has them: Switchboard B's comfyui_api backend in front of a ComfyUI stand-in,
 * Switchboard A's swarmswarmbackend pointed at B. A client generates on A; the graph runs in B's ComfyUI and the PNG
 * it made comes back through both tiers; an interrupt on A reaches that ComfyUI. ({@link TwoTierIT} covers the
 * forwarding's other cases with echo backends on B.)
 */
final class TwoTierComfyUiIT {
    private static final String MODEL = "b-gpu/deep.safetensors";

    @TempDir
    Path temp;
    private ComfyUiStandIn comfy;
    private SwitchboardServer b;
    private SwitchboardServer a;
    private SwarmApiClient aApi;
    private SwarmApiClient bApi;
    private int bComfy;

    @AfterEach
    void stop() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
        if (comfy != null) {
            comfy.close();
        }
    }

    private int start(String controlSettings) throws Exception {
        comfy = ComfyUiStandIn.start();
        comfy.setModels("CheckpointLoaderSimple", List.of(MODEL));
        b = SwarmServers.start(temp.resolve("b-data"), 0);
        bApi = new SwarmApiClient(b.url());
        bComfy = SwarmServers.addComfy(bApi, "b comfy", comfy.baseUrl());
        a = SwarmServers.start(temp.resolve("a-data"), 0);
        aApi = new SwarmApiClient(a.url());
        int control = SwarmServers.add(aApi, "swarmswarmbackend", "tier B", "{\"Address\":\"" + b.url() + "\""
                + controlSettings + "}");
        int[] child = new int[1];
        await().atMost(PATIENCE).ignoreExceptions().until(() -> {
            JsonObject view = SwarmServers.child(aApi, control, "b comfy");
            child[0] = view.get("id").getAsInt();
            return view.get("status").getAsString().equals("running")
                    && aApi.call("ListModels", "{\"path\":\"\",\"depth\":999}").toString().contains(MODEL);
        });
        return child[0];
    }

    private static String request(int steps) {
        return "{\"images\":1,\"prompt\":\"a harbour at dusk\",\"model\":\"b-gpu/deep\",\"width\":96,\"height\":72,"
                + "\"steps\":" + steps + ",\"seed\":11,\"cfgscale\":6,\"donotsave\":true}";
    }

    private static BufferedImage decode(String dataUrl) throws Exception {
        assertThat(dataUrl).startsWith("data:image/png;base64,");
        return ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(
                dataUrl.substring(dataUrl.indexOf(',') + 1))));
    }

    @Test
    void aJobOnARunsInBsComfyUiAndItsPngComesBackOverTheWebSocket() throws Exception {
        int child = start("");

        List<JsonObject> messages;
        try (ClientSocket socket = ClientSocket.open(a.url(), Map.of(), request(3).replaceFirst("\\{",
                "{\"session_id\":\"" + aApi.session() + "\","))) {
            messages = socket.untilClosed(PATIENCE);
            assertThat(socket.closeCode()).isEqualTo(1000);
        }

        assertThat(messages).noneMatch(message -> message.has("error"));
        JsonObject image = messages.stream().filter(message -> message.has("image")).findFirst().orElseThrow();
        BufferedImage png = decode(image.get("image").getAsString());
        assertThat(png.getWidth()).isEqualTo(96);
        assertThat(png.getHeight()).isEqualTo(72);
        assertThat(messages).anyMatch(message -> message.has("gen_progress"));
        assertThat(comfy.prompts()).hasSize(1);
        String graph = comfy.prompts().get(0).graph().toString();
        assertThat(graph).contains("\"ckpt_name\":\"" + MODEL + "\"", "\"text\":\"a harbour at dusk\"",
                "\"width\":96", "\"height\":72", "\"steps\":3", "\"noise_seed\":11");
        assertThat(SwarmServers.view(aApi, child).get("current_model").getAsString()).isEqualTo(MODEL);
        assertThat(SwarmServers.view(bApi, bComfy).get("current_model").getAsString()).isEqualTo(MODEL);
    }

    @Test
    void withWebsocketsOffTheJobCrossesOverHttpAndRunsInBsComfyUi() throws Exception {
        start(",\"AllowWebsocket\":false");

        JsonObject answer = aApi.call("GenerateText2Image", request(2).replace("\"images\":1", "\"images\":2"));

        assertThat(answer.has("error")).as("%s", answer).isFalse();
        assertThat(answer.getAsJsonArray("images")).hasSize(2);
        for (int i = 0; i < 2; i++) {
            BufferedImage png = decode(answer.getAsJsonArray("images").get(i).getAsString());
            assertThat(png.getWidth()).isEqualTo(96);
        }
        assertThat(comfy.prompts()).hasSize(2).extracting(ReceivedPrompt::graph)
                .allSatisfy(graph -> assertThat(graph.toString()).contains("\"ckpt_name\":\"" + MODEL + "\""));
    }

    @Test
    void anInterruptOnAReachesBsComfyUiWithItsPromptId() throws Exception {
        start("");
        comfy.setStepTime(Duration.ofSeconds(5));

        try (ClientSocket socket = ClientSocket.open(a.url(), Map.of(), request(20).replaceFirst("\\{",
                "{\"session_id\":\"" + aApi.session() + "\","))) {
            await().atMost(PATIENCE).until(() -> !comfy.prompts().isEmpty());
            long interrupted = System.nanoTime();

            assertThat(aApi.call("InterruptAll", "{\"other_sessions\":false}").get("success").getAsBoolean())
                    .isTrue();

            List<JsonObject> messages = socket.untilClosed(PATIENCE);
            String promptId = comfy.prompts().get(0).promptId();
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
                    assertThat(comfy.requests()).anySatisfy(call -> {
                        assertThat(call.is("POST", "/interrupt")).isTrue();
                        assertThat(call.body()).contains(promptId);
                    }));
            Duration took = Duration.ofNanos(System.nanoTime() - interrupted);
            System.out.printf("Interrupt from A reached B's ComfyUI after %d ms%n", took.toMillis());
            assertThat(took).isLessThan(Duration.ofSeconds(2));
            JsonObject stopped = new JsonObject();
            stopped.addProperty("error", "Generation session interrupted.");
            assertThat(messages).contains(stopped);
        }
        await().atMost(PATIENCE).until(() -> SwarmServers.view(bApi, bComfy).get("usages").getAsInt() == 0);
        comfy.setStepTime(Duration.ofMillis(10));
        JsonObject again = aApi.call("GenerateText2Image", request(2));
        assertThat(again.has("error")).as("%s", again).isFalse();
    }
}
