package dev.switchboard.testkit.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.switchboard.testkit.remote.StallingServer;
import dev.switchboard.testkit.swarm.SwarmRemoteStandIn.Behaviour;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The master simulator against the current-SwarmUI stand-in (a remote that answers as SwarmUI does, so the
 * simulator must accept it) and against remotes that break one rule each (so it must reject them, naming the rule):
 * a simulator that never rejects would prove nothing.
 */
final class MasterSimulatorTest {
    private final SwarmRemoteStandIn remote = SwarmRemoteStandIn.start();

    MasterSimulatorTest() {
        remote.putBackend(new SwarmRemoteStandIn.Backend(3, "comfyui_api", "running", "gpu", List.of("comfyui"), 2,
                null));
        remote.putBackend(new SwarmRemoteStandIn.Backend(5, "example_echo", "running", "echo", List.of(), 1, null));
        remote.putBackend(new SwarmRemoteStandIn.Backend(7, "comfyui_api", "disabled", "off", List.of(), 1, null));
        remote.models("Stable-Diffusion", List.of("sdxl/base.safetensors"));
        remote.nodeTypes(3, List.of("KSampler", "SaveImage"));
    }

    @AfterEach
    void stop() {
        remote.close();
    }

    @Test
    void aRemoteThatAnswersAsSwarmUiPassesTheWholeConversation() {
        MasterSimulator master = MasterSimulator.cur(remote.baseUrl(), Map.of("Authorization", "Bearer m"));

        MasterMirror mirror = master.connect();

        assertThat(mirror.children()).extracting(MasterChild::remoteId).containsExactly(3, 5);
        assertThat(mirror.modelNames("Stable-Diffusion")).containsExactly("sdxl/base.safetensors");
        MasterChild comfy = mirror.child(3);
        assertThat(comfy.nodeTypes()).containsExactly("KSampler", "SaveImage");
        assertThat(comfy.session()).isNotEqualTo(mirror.session()).isNotEqualTo(mirror.child(5).session());
        assertThat(mirror.child(5).nodeTypes()).isNull();
        assertThat(remote.calls("ListModels")).hasSize(7).allSatisfy(call ->
                assertThat(call.body().get("depth").getAsInt()).isEqualTo(999));
        assertThat(remote.calls("ComfyGetNodeTypesForBackend")).hasSize(1);

        MasterGeneration generation = comfy.generate(parameters());

        assertThat(generation.error()).isEmpty();
        assertThat(generation.images()).singleElement().satisfies(image ->
                assertThat(image.mediaType()).isEqualTo("image/png"));
        assertThat(generation.closeCode()).isEqualTo(1000);
        assertThat(generation.paramsUsed()).contains("prompt", "seed");
        assertThat(remote.calls("SelectModel")).singleElement().satisfies(call -> {
            assertThat(call.body().get("backendId").getAsJsonPrimitive().isNumber()).isTrue();
            assertThat(call.body().get("model").getAsString()).isEqualTo("sdxl/base.safetensors");
        });
        JsonObject sent = remote.calls("GenerateText2ImageWS").get(0).body();
        assertThat(sent.get("model").getAsString()).isEqualTo("sdxl/base");
        assertThat(sent.get("exactbackendid").getAsInt()).isEqualTo(3);
        assertThat(sent.get("forwardswarmdata").getAsBoolean()).isTrue();
        assertThat(remote.calls("GenerateText2ImageWS").get(0).headers()).containsEntry("authorization", "Bearer m");
        assertThat(comfy.freeMemory(true)).isTrue();
    }

    @Test
    void anInterruptPostsInterruptAllInTheLoopAndTheStreamEnds() {
        remote.generations(Behaviour.HOLD, null, Duration.ZERO);
        MasterChild child = MasterSimulator.cur(remote.baseUrl(), Map.of()).interruptPromptness(Duration.ofSeconds(2))
                .connect().child(5);

        MasterGeneration generation = child.generate(parameters(), message -> message.has("gen_progress"));

        assertThat(generation.error()).contains("Remote swarm gave error: Generation session interrupted.");
        assertThat(generation.interruptCalls()).isPositive();
        assertThat(remote.calls("InterruptAll")).allSatisfy(call -> {
            assertThat(call.body().get("session_id").getAsString()).isEqualTo(child.session());
            assertThat(call.body().get("other_sessions").getAsBoolean()).isFalse();
        });
    }

    @Test
    void theRemotesErrorsAreWhatTheMastersUserReads() {
        MasterChild child = MasterSimulator.cur(remote.baseUrl(), Map.of()).connect().child(5);
        remote.generations(Behaviour.FAIL, "Model failed to explode.", Duration.ZERO);
        assertThat(child.generate(parameters()).error()).contains("Remote swarm gave error: Model failed to explode.");

        remote.failRoute("SelectModel", "Model failed to load.");
        JsonObject other = parameters();
        other.addProperty("model", "sdxl/other.safetensors");
        assertThat(child.generate(other).error()).contains("All available backends failed to load the model"
                + " 'sdxl/other.safetensors'. Possible reason: Remote swarm gave error: Model failed to load.");
    }

    @Test
    void aStreamThatBreaksARuleIsRejected() {
        MasterChild child = MasterSimulator.cur(remote.baseUrl(), Map.of()).connect().child(5);
        remote.generations(Behaviour.NOT_DATA_URL, null, Duration.ZERO);
        assertThatThrownBy(() -> child.generate(parameters())).isInstanceOf(MasterRejection.class)
                .hasMessageContaining("not a data URL");
        remote.generations(Behaviour.DROP, null, Duration.ZERO);
        assertThatThrownBy(() -> child.generate(parameters())).isInstanceOf(MasterRejection.class)
                .hasMessageContaining("without a close frame");
        remote.generations(Behaviour.NO_IMAGES, null, Duration.ZERO);
        assertThat(child.generate(parameters()).error()).contains("No images were generated (all refused, or failed"
                + " - check server logs for details).");
    }

    @Test
    void anOldMasterNeedsCountRunningWhichACurrentSwarmUiDoesNotSend() {
        assertThatThrownBy(() -> MasterSimulator.old(remote.baseUrl(), Map.of()).connect())
                .isInstanceOf(MasterRejection.class).hasMessageContaining("'count_running' must be an integer");
    }

    @Test
    void answersThatAreNotJsonObjectsOrLackAFieldAreRejected() {
        try (StallingServer html = StallingServer.start()) {
            html.answer("text/html", "<html>502</html>");
            assertThatThrownBy(() -> MasterSimulator.cur(html.baseUrl(), Map.of()).connect())
                    .isInstanceOf(MasterRejection.class).hasMessageContaining("GetNewSession: the body is not a JSON"
                            + " object");
        }
        assertThatThrownBy(() -> MasterMirror.ModelFile.check("ListModels VAE", JsonParser.parseString(
                "{\"name\":\"a.safetensors\",\"loaded\":false,\"standard_width\":null,\"standard_height\":0}")
                .getAsJsonObject())).isInstanceOf(MasterRejection.class)
                .hasMessageContaining("'standard_width' must be an integer");
        assertThatThrownBy(() -> MasterMirror.RemoteEntry.read("ListBackends entry 0", JsonParser.parseString(
                "{\"id\":0,\"status\":\"running\",\"type\":\"x\",\"title\":\"t\",\"features\":[],\"max_usages\":1}")
                .getAsJsonObject())).isInstanceOf(MasterRejection.class)
                .hasMessageContaining("'can_load_models' must be a boolean");
    }

    private static JsonObject parameters() {
        return JsonParser.parseString("{\"prompt\":\"a cat\",\"negativeprompt\":\"\",\"seed\":1234,\"steps\":3,"
                + "\"cfgscale\":7,\"aspectratio\":\"1:1\",\"width\":64,\"height\":64,\"model\":"
                + "\"sdxl/base.safetensors\",\"automaticvae\":true}").getAsJsonObject();
    }
}
