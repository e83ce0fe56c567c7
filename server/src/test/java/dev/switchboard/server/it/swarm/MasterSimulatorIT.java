package dev.switchboard.server.it.swarm;

import static dev.switchboard.server.it.swarm.SwarmServers.addComfy;
import static dev.switchboard.server.it.swarm.SwarmServers.addEcho;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.switchboard.server.bootstrap.SwitchboardServer;
import dev.switchboard.server.http.AccessPolicy;
import dev.switchboard.testkit.comfyui.ComfyUiStandIn;
import dev.switchboard.testkit.server.SwarmApiClient;
import dev.switchboard.testkit.swarm.MasterChild;
import dev.switchboard.testkit.swarm.MasterGeneration;
import dev.switchboard.testkit.swarm.MasterMirror;
import dev.switchboard.testkit.swarm.MasterSimulator;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SwarmUI master's whole conversation with Switchboard as its remote (generation.md section 1), made by the
 * testkit's {@link MasterSimulator}, which rejects every answer a real master would fail on. The remote is a real
 * Switchboard on a real port whose backends are example_echo backends (they draw real PNGs) and one comfyui_api
 * backend in front of the ComfyUI stand-in, for the calls a master makes only for ComfyUI backends. (Generation on
 * ComfyUI backends is another helper's work in progress; the echo backends generate here.)
 */
final class MasterSimulatorIT {
    @TempDir
    Path temp;
    ComfyUiStandIn comfyUi;
    SwitchboardServer server;
    SwarmApiClient api;
    int fast;
    int other;
    int slow;
    int comfy;

    @BeforeEach
    void start() throws Exception {
        comfyUi = ComfyUiStandIn.start();
        server = SwarmServers.start(temp.resolve("data"), 0, SwarmServers.pluginsWithEcho(temp),
                AccessPolicy.LOOPBACK_DEFAULTS);
        api = new SwarmApiClient(server.url());
        fast = addEcho(api, "fast", "{\"StepMillis\":20,\"Slots\":2}");
        other = addEcho(api, "other", "{\"StepMillis\":20,\"Models\":\"other/only-here.safetensors\"}");
        slow = addEcho(api, "slow", "{\"StepMillis\":31000}");
        comfy = addComfy(api, "comfy", comfyUi.baseUrl());
    }

    @AfterEach
    void stop() {
        server.close();
        comfyUi.close();
    }

    @Test
    void aCurrentMastersWholeConversationSucceeds() throws Exception {
        MasterSimulator master = MasterSimulator.cur(server.url(), Map.of()).interruptPromptness(Duration.ofSeconds(2));

        MasterMirror mirror = master.connect();

        assertThat(mirror.children()).extracting(MasterChild::remoteId).containsExactlyInAnyOrder(fast, other, slow,
                comfy);
        assertThat(mirror.modelNames("Stable-Diffusion")).contains("echo/gradient.safetensors",
                "echo/stripes.safetensors", "other/only-here.safetensors");
        for (String subtype : MasterSimulator.SUBTYPES) {
            // Each answered with a files array whose objects carry every field a master converts (checked by the
            // simulator); the echo backends list only main models.
            assertThat(mirror.modelFiles(subtype)).as(subtype).isNotNull();
        }
        assertThat(mirror.child(comfy).nodeTypes()).as("node types of the ComfyUI backend").isNotNull();
        assertThat(mirror.child(comfy).objectInfo()).isNotNull();
        assertThat(mirror.child(fast).nodeTypes()).as("never asked for a non-ComfyUI backend").isNull();
        assertThat(mirror.child(comfy).canLoadModels()).isTrue();
        assertThat(master.log()).containsSequence("POST /API/GetNewSession", "POST /API/ListBackends");

        MasterChild child = mirror.child(fast);
        MasterGeneration generation = child.generate(parameters("echo/gradient.safetensors", 3));

        assertThat(generation.error()).isEmpty();
        assertThat(generation.closeCode()).isEqualTo(1000);
        assertThat(generation.images()).singleElement().satisfies(image -> {
            assertThat(image.mediaType()).isEqualTo("image/png");
            BufferedImage png = ImageIO.read(new ByteArrayInputStream(image.bytes()));
            assertThat(png.getWidth()).isEqualTo(64);
            assertThat(png.getHeight()).isEqualTo(80);
        });
        List<String> kinds = generation.kinds();
        assertThat(kinds.indexOf("raw_swarm_data")).isEqualTo(kinds.indexOf("image") - 1);
        assertThat(kinds).contains("gen_progress").endsWith("discard_indices", "status");
        assertThat(generation.paramsUsed()).contains("prompt", "seed", "steps", "cfgscale", "width", "height",
                "model");
        assertThat(child.currentModel()).isEqualTo("echo/gradient.safetensors");

        MasterGeneration overHttp = child.generateOverHttp(parameters("echo/stripes.safetensors", 2));
        assertThat(overHttp.error()).isEmpty();
        assertThat(overHttp.images()).hasSize(1);
        assertThat(child.freeMemory(false)).isTrue();
        mirror.refresh();
        assertThat(mirror.modelNames("Stable-Diffusion")).contains("other/only-here.safetensors");
    }

    @Test
    void selectModelRoutesAMasterAwayFromABackendWithoutTheModel() {
        MasterMirror mirror = MasterSimulator.cur(server.url(), Map.of()).connect();

        assertThat(mirror.child(other).selectModel("echo/gradient.safetensors")).isFalse();
        assertThat(mirror.child(other).lastSelectError()).isEqualTo("Remote swarm gave error: Model failed to load.");
        assertThat(mirror.child(other).generate(parameters("echo/gradient.safetensors", 1)).error())
                .contains("All available backends failed to load the model 'echo/gradient.safetensors'. Possible"
                        + " reason: Remote swarm gave error: Model failed to load.");
        assertThat(mirror.child(other).selectModel("other/only-here.safetensors")).isTrue();
    }

    @Test
    void anInterruptEndsTheStreamWithinTwoSeconds() {
        MasterMirror mirror = MasterSimulator.cur(server.url(), Map.of()).interruptPromptness(Duration.ofSeconds(2))
                .connect();

        MasterGeneration generation = mirror.child(slow).generate(parameters("echo/gradient.safetensors", 5),
                message -> message.has("status"));

        assertThat(generation.error()).contains("Remote swarm gave error: Generation session interrupted.");
        assertThat(generation.interruptCalls()).isPositive();
        assertThat(generation.interruptToEnd()).get().satisfies(took ->
                assertThat(took).isLessThan(Duration.ofSeconds(2)));
        assertThat(SwarmServers.view(api, slow).get("usages").getAsInt()).isZero();
    }

    @Test
    @Timeout(120)
    void aStepLongerThanThirtySecondsNeverLeavesTheMasterThirtySecondsWithoutAMessage() {
        MasterMirror mirror = MasterSimulator.cur(server.url(), Map.of()).connect();

        // One echo step of 31 s: only keep_alive messages fill it (the simulator rejects a 30 s gap).
        MasterGeneration generation = mirror.child(slow).generate(parameters("echo/gradient.safetensors", 1));

        assertThat(generation.error()).isEmpty();
        assertThat(generation.images()).hasSize(1);
        assertThat(generation.kinds()).contains("keep_alive");
        assertThat(generation.longestGap()).isLessThan(MasterSimulator.LONGEST_SILENCE);
    }

    @Test
    void theComfyCallsAnswerJsonForEveryBackendAsAMasterReadsThem() throws Exception {
        // A master asks these only for comfyui_ backends; for any other id the answers are JSON errors it would log.
        assertThat(api.call("ComfyGetNodeTypesForBackend", "{\"backend\":" + comfy + "}").has("node_types")).isTrue();
        assertThat(api.call("ComfyGetNodeTypesForBackend", "{\"backend\":" + fast + "}").get("error").getAsString())
                .isEqualTo("Unknown backend ID or not a ComfyUI backend.");
        assertThat(objectInfo(comfy).has("error")).isFalse();
        assertThat(objectInfo(fast).get("error").getAsString()).isEqualTo("Unknown backend ID or not a ComfyUI"
                + " backend.");
    }

    @Test
    void aMasterWhoseSessionsWereForgottenGetsNewOnesAndGoesOn() throws Exception {
        MasterMirror mirror = MasterSimulator.cur(server.url(), Map.of()).connect();
        MasterChild child = mirror.child(fast);
        String before = child.session();
        int port = server.port();
        server.close();
        server = SwarmServers.start(temp.resolve("data"), port, temp.resolve("plugins"),
                AccessPolicy.LOOPBACK_DEFAULTS);
        api = new SwarmApiClient(server.url());
        SwarmServers.awaitStatus(api, fast, "running");

        MasterGeneration generation = child.generate(parameters("echo/gradient.safetensors", 2));

        assertThat(generation.error()).isEmpty();
        assertThat(generation.images()).hasSize(1);
        assertThat(child.session()).isNotEqualTo(before);
    }

    @Test
    void anOldMastersConversationSucceedsToo() {
        MasterSimulator master = MasterSimulator.old(server.url(), Map.of());

        MasterMirror mirror = master.connect();
        mirror.refresh();
        MasterGeneration generation = mirror.child(fast).generate(parameters("echo/gradient.safetensors", 2));

        assertThat(master.log()).contains("POST /TriggerRefresh");
        assertThat(generation.error()).isEmpty();
        assertThat(generation.images()).hasSize(1);
        assertThat(generation.request().has("forwardswarmdata")).isFalse();
        assertThat(generation.kinds()).doesNotContain("raw_swarm_data");
    }

    private JsonObject objectInfo(int backend) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(server.url() + "/ComfyBackendDirect/object_info"))
                .header("X-Swarm-Backend-ID", Integer.toString(backend)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return JsonParser.parseString(response.body()).getAsJsonObject();
    }

    /** A master's per-image parameters from its Generate tab (generation.md 1.3's example), at a small size. */
    private static JsonObject parameters(String model, int steps) {
        return JsonParser.parseString("{\"prompt\":\"a cat\",\"negativeprompt\":\"\",\"seed\":1234,\"steps\":" + steps
                + ",\"cfgscale\":7,\"aspectratio\":\"Custom\",\"width\":64,\"height\":80,\"model\":\"" + model
                + "\",\"automaticvae\":true}").getAsJsonObject();
    }
}
