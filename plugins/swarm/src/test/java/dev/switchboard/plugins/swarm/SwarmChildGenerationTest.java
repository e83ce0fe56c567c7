package dev.switchboard.plugins.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import dev.switchboard.api.generation.GenerationException;
import dev.switchboard.api.generation.Cancellation;
import dev.switchboard.api.generation.GenerationJob;
import dev.switchboard.api.generation.GenerationParameters;
import dev.switchboard.api.generation.LoraWeight;
import dev.switchboard.api.generation.ModelType;
import dev.switchboard.testkit.backends.RecordingGenerationOutput;
import dev.switchboard.testkit.backends.TestingBackendContext;
import dev.switchboard.testkit.swarm.SwarmRemoteStandIn;
import dev.switchboard.testkit.swarm.SwarmRemoteStandIn.Behaviour;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A child generates on its remote as a SwarmUI master's child does (generation.md 1.2-1.4), over real sockets
 * against the current-SwarmUI stand-in: the body and headers it sends, what it relays, the remote's errors, a
 * forgotten session, an interrupt, a remote that drops, hangs or stays quiet, the HTTP form, model loads and lists.
 */
final class SwarmChildGenerationTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @RegisterExtension
    final RemoteChildren fixture = new RemoteChildren();
    private final SwarmRemoteStandIn remote = fixture.remote();

    @Test
    void theChildReportsTheRemotesModelListsAndItsBackendsNodeTypes() throws Exception {
        TestingBackendContext control = fixture.control(Map.of());
        RemoteChildren.Child child = fixture.child(control);

        Map<ModelType, List<String>> models = child.context().models();
        assertThat(models).containsOnlyKeys(ModelType.values());
        assertThat(models.get(ModelType.STABLE_DIFFUSION)).containsExactly("sdxl/base.safetensors", "old/model.ckpt");
        assertThat(models.get(ModelType.LORA)).containsExactly("styles/ink.safetensors");
        assertThat(models.get(ModelType.VAE)).isEmpty();
        assertThat(child.context().nodeTypes()).containsExactlyInAnyOrder("CheckpointLoaderSimple", "KSampler",
                "SaveImage");
        assertThat(remote.calls("ListModels")).extracting(call -> call.body().get("subtype").getAsString())
                .containsExactly("Stable-Diffusion", "LoRA", "VAE", "Embedding", "ControlNet", "Clip", "ClipVision");
        assertThat(remote.calls("ListModels")).allSatisfy(call -> {
            assertThat(call.body().get("depth").getAsInt()).isEqualTo(999);
            assertThat(call.body().get("path").getAsString()).isEmpty();
            assertThat(call.body().get("allowRemote").getAsBoolean()).isTrue();
        });
        JsonObject nodeTypes = remote.calls("ComfyGetNodeTypesForBackend").get(0).body();
        assertThat(nodeTypes.get("backend").getAsJsonPrimitive().isNumber()).isTrue();
        assertThat(nodeTypes.get("backend").getAsInt()).isEqualTo(RemoteChildren.REMOTE_ID);
    }

    @Test
    void aJobGoesOverTheWebSocketAsAMastersChildSendsItAndItsImagesComeBack() throws Exception {
        RemoteChildren.Child child = fixture.child(fixture.control(Map.of()));

        RecordingGenerationOutput output = child.generate(fixture.job("sdxl/base.safetensors", 2));

        assertThat(output.images()).hasSize(2).allSatisfy(image -> {
            assertThat(image.mediaType()).isEqualTo("image/png");
            BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(image.data()));
            assertThat(decoded.getWidth()).isEqualTo(64);
            assertThat(decoded.getHeight()).isEqualTo(32);
        });
        assertThat(output.progress()).extracting(RecordingGenerationOutput.Progress::overall)
                .containsExactly(1.0 / 3, 2.0 / 3, 1.0);
        assertThat(output.previews()).hasSize(1);
        SwarmRemoteStandIn.Call socket = remote.calls("GenerateText2ImageWS").get(0);
        JsonObject body = socket.body();
        assertThat(body.get("images").getAsInt()).isEqualTo(1);
        assertThat(body.get("donotsave").getAsBoolean()).isTrue();
        assertThat(body.get("forwardswarmdata").getAsBoolean()).isTrue();
        assertThat(body.get("exactbackendid").getAsJsonPrimitive().isNumber()).isTrue();
        assertThat(body.get("exactbackendid").getAsInt()).isEqualTo(RemoteChildren.REMOTE_ID);
        assertThat(body.get("model").getAsString()).isEqualTo("sdxl/base");
        assertThat(body.get("seed").getAsLong()).isEqualTo(42);
        assertThat(body.get("steps").getAsInt()).isEqualTo(3);
        assertThat(body.get("cfgscale").getAsDouble()).isEqualTo(6.5);
        assertThat(body.get("width").getAsInt()).isEqualTo(64);
        assertThat(body.get("batchsize").getAsInt()).isEqualTo(2);
        assertThat(body.get("sampler").getAsString()).isEqualTo("euler");
        assertThat(body.get("prompt").getAsString()).isEqualTo("a fox");
        assertThat(body.get("negativeprompt").getAsString()).isEqualTo("blur");
        String session = body.get("session_id").getAsString();
        assertThat(remote.calls("ListBackends")).noneMatch(call -> call.body().get("session_id").getAsString()
                .equals(session));
        assertThat(socket.headers()).containsEntry("authorization", RemoteChildren.SECRET)
                .containsEntry("x-tenant", "blue");
        assertThat(socket.headers().get("user-agent")).startsWith("Switchboard/");
    }

    @Test
    void loRasTheVaeClipSkipAndARawWorkflowAreSentByTheirSwarmUiIdsAndTypes() throws Exception {
        RemoteChildren.Child child = fixture.child(fixture.control(Map.of()));
        GenerationJob job = new GenerationJob("job-w", GenerationParameters.builder().model("sdxl/base.safetensors")
                .seed(9).loras(List.of(new LoraWeight("styles/ink.safetensors", 0.5, 0.25),
                        new LoraWeight("detail.pt", 1, 1)))
                .vae("vae/clear.safetensors").clipStopAtLayer(-2).scheduler("karras").build(), Cancellation.create());
        child.generate(job);
        String workflow = "{\"1\":{\"class_type\":\"SaveImage\",\"inputs\":{}}}";
        child.generate(new GenerationJob("job-r", GenerationParameters.builder().workflow(workflow).build(),
                Cancellation.create()));

        List<SwarmRemoteStandIn.Call> sent = remote.calls("GenerateText2ImageWS");
        JsonObject standard = sent.get(0).body();
        assertThat(standard.get("loras").getAsString()).isEqualTo("styles/ink,detail.pt");
        assertThat(standard.get("loraweights").getAsString()).isEqualTo("0.5,1");
        assertThat(standard.get("loratencweights").getAsString()).isEqualTo("0.25,1");
        assertThat(standard.get("vae").getAsString()).isEqualTo("vae/clear");
        assertThat(standard.get("clipstopatlayer").getAsInt()).isEqualTo(-2);
        assertThat(standard.get("scheduler").getAsString()).isEqualTo("karras");
        assertThat(standard.has("comfyworkflowraw")).isFalse();
        JsonObject raw = sent.get(1).body();
        assertThat(raw.get("comfyworkflowraw").getAsString()).isEqualTo(workflow);
        assertThat(raw.has("model")).isFalse();
        assertThat(raw.get("exactbackendid").getAsInt()).isEqualTo(RemoteChildren.REMOTE_ID);
    }

    @Test
    void withWebsocketsOffTheJobGoesOverHttp() throws Exception {
        RemoteChildren.Child child = fixture.child(fixture.control(Map.of(SwarmSettings.ALLOW_WEBSOCKET, false)));

        RecordingGenerationOutput output = child.generate(fixture.job("old/model.ckpt", 1));

        assertThat(output.images()).hasSize(1);
        assertThat(remote.calls("GenerateText2ImageWS")).isEmpty();
        JsonObject body = remote.calls("GenerateText2Image").get(0).body();
        assertThat(body.get("model").getAsString()).isEqualTo("old/model.ckpt");
        assertThat(body.get("exactbackendid").getAsInt()).isEqualTo(RemoteChildren.REMOTE_ID);
        assertThat(remote.calls("GenerateText2Image").get(0).headers()).containsEntry("authorization",
                RemoteChildren.SECRET);
    }

    @Test
    void theRemotesErrorFailsTheJobInSwarmUisWords() throws Exception {
        RemoteChildren.Child child = fixture.child(fixture.control(Map.of()));
        remote.generations(Behaviour.FAIL, "No backends match the settings of the request given!\n- nope",
                Duration.ZERO);

        assertThatThrownBy(() -> child.generate(fixture.job("sdxl/base.safetensors", 1)))
                .isInstanceOf(GenerationException.class)
                .hasMessage("Remote swarm gave error: No backends match the settings of the request given!\n- nope");
    }

    @Test
    void overHttpTheRemotesErrorFailsTheJobInSwarmUisWordsToo() throws Exception {
        RemoteChildren.Child child = fixture.child(fixture.control(Map.of(SwarmSettings.ALLOW_WEBSOCKET, false)));
        remote.generations(Behaviour.FAIL, "Model failed to load.", Duration.ZERO);

        assertThatThrownBy(() -> child.generate(fixture.job("sdxl/base.safetensors", 1)))
                .isInstanceOf(GenerationException.class).hasMessage("Remote swarm gave error: Model failed to load.");
    }

    @Test
    void aForgottenSessionGetsANewOneAndTheJobIsSentOnceMore() throws Exception {
        RemoteChildren.Child child = fixture.child(fixture.control(Map.of()));
        child.generate(fixture.job("sdxl/base.safetensors", 1));
        remote.forgetSessions();
        int sessionsBefore = remote.calls("GetNewSession").size();

        RecordingGenerationOutput output = child.generate(fixture.job("sdxl/base.safetensors", 1));

        assertThat(output.images()).hasSize(1);
        assertThat(remote.calls("GenerateText2ImageWS")).hasSize(3);
        assertThat(remote.calls("GetNewSession")).hasSize(sessionsBefore + 1);
    }

    @Test
    void cancellingInterruptsTheJobsSessionOnTheRemoteAndClosesTheSocket() throws Exception {
        RemoteChildren.Child child = fixture.child(fixture.control(Map.of()));
        remote.generations(Behaviour.HOLD, null, Duration.ZERO);
        GenerationJob held = fixture.job("sdxl/base.safetensors", 1);
        GenerationJob other = fixture.job("sdxl/base.safetensors", 1);
        RecordingGenerationOutput output = new RecordingGenerationOutput();
        CompletableFuture<Void> running = CompletableFuture.runAsync(() -> generateQuietly(child, held, output));
        CompletableFuture<Void> otherRunning = CompletableFuture.runAsync(() -> generateQuietly(child, other,
                new RecordingGenerationOutput()));
        await().atMost(PATIENCE).until(() -> remote.openSockets() == 2 && output.progress().size() == 1);

        long cancelled = System.nanoTime();
        held.cancellation().cancel("Generation session interrupted.");
        running.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);

        assertThat(Duration.ofNanos(System.nanoTime() - cancelled)).isLessThan(Duration.ofSeconds(2));
        await().atMost(PATIENCE).until(() -> remote.stoppedGenerations() == 1 && remote.openSockets() == 1);
        // Each job had a session of its own, and only the cancelled one's was interrupted.
        List<String> sessions = remote.calls("GenerateText2ImageWS").stream()
                .map(call -> call.body().get("session_id").getAsString()).toList();
        assertThat(sessions).hasSize(2).doesNotHaveDuplicates();
        assertThat(remote.calls("InterruptAll")).singleElement().satisfies(call -> {
            assertThat(call.body().get("other_sessions").getAsBoolean()).isFalse();
            assertThat(sessions).contains(call.body().get("session_id").getAsString());
        });
        assertThat(otherRunning).isNotDone();
        other.cancellation().cancel("done");
        otherRunning.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void aRemoteThatDropsTheConnectionMidJobFailsItWithTheReason() throws Exception {
        RemoteChildren.Child child = fixture.child(fixture.control(Map.of()));
        remote.generations(Behaviour.DROP, null, Duration.ZERO);

        assertThatThrownBy(() -> child.generate(fixture.job("sdxl/base.safetensors", 1)))
                .isInstanceOf(GenerationException.class)
                .hasMessageStartingWith("Lost the connection to the remote Swarm server at " + remote.baseUrl()
                        + " during GenerateText2ImageWS");
    }

    @Test
    void aRemoteThatHangsMidJobFailsItWithinTheCallDeadline() throws Exception {
        RemoteChildren.Child child = fixture.child(fixture.control(Map.of(
                SwarmSettings.CONNECTION_ATTEMPT_TIMEOUT_SECONDS, 1L)));
        remote.generations(Behaviour.DEAF, null, Duration.ZERO);

        long started = System.nanoTime();
        assertThatThrownBy(() -> child.generate(fixture.job("sdxl/base.safetensors", 1)))
                .isInstanceOf(GenerationException.class).hasMessage("Remote Swarm server at " + remote.baseUrl()
                        + " did not send anything within 1 s during GenerateText2ImageWS"
                        + " (ConnectionAttemptTimeoutSeconds).");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aQuietRemoteThatAnswersPingsIsWaitedFor() throws Exception {
        RemoteChildren.Child child = fixture.child(fixture.control(Map.of(
                SwarmSettings.CONNECTION_ATTEMPT_TIMEOUT_SECONDS, 2L)));
        remote.generations(Behaviour.SILENT, null, Duration.ZERO);
        GenerationJob job = fixture.job("sdxl/base.safetensors", 1);
        CompletableFuture<Void> running = CompletableFuture.runAsync(() -> generateQuietly(child, job,
                new RecordingGenerationOutput()));

        // Three deadlines of silence: only the pongs keep the job waiting.
        assertThatThrownBy(() -> running.get(6, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class);
        job.cancellation().cancel("enough");
        running.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void aRemoteThatClosesWithoutImagesOrSendsNoDataUrlFailsTheJobReadably() throws Exception {
        RemoteChildren.Child child = fixture.child(fixture.control(Map.of()));
        remote.generations(Behaviour.NO_IMAGES, null, Duration.ZERO);
        assertThatThrownBy(() -> child.generate(fixture.job("sdxl/base.safetensors", 1)))
                .hasMessage("Remote Swarm server at " + remote.baseUrl() + " generated no images (all refused, or"
                        + " failed - check its logs for details).");
        remote.generations(Behaviour.NOT_DATA_URL, null, Duration.ZERO);
        assertThatThrownBy(() -> child.generate(fixture.job("sdxl/base.safetensors", 1)))
                .hasMessage("Remote Swarm server at " + remote.baseUrl() + " sent an image through"
                        + " GenerateText2ImageWS that is not a data URL: \"View/local/x.png\"");
    }

    @Test
    void loadingAModelForwardsSelectModelWithTheLinkedIdAsAnInteger() throws Exception {
        RemoteChildren.Child child = fixture.child(fixture.control(Map.of()));

        assertThat(child.backend().loadModel("old/model.ckpt")).isTrue();
        assertThat(child.backend().loadModel("nowhere.safetensors")).isFalse();

        JsonObject body = remote.calls("SelectModel").get(0).body();
        assertThat(body.get("model").getAsString()).isEqualTo("old/model.ckpt");
        assertThat(body.get("backendId").getAsJsonPrimitive().isNumber()).isTrue();
        assertThat(body.get("backendId").getAsInt()).isEqualTo(RemoteChildren.REMOTE_ID);
    }

    @Test
    void aRefreshAsksTheRemoteToRefreshAndReadsItsListsAgain() throws Exception {
        TestingBackendContext control = fixture.control(Map.of());
        RemoteChildren.Child child = fixture.child(control);
        remote.models("Stable-Diffusion", List.of("sdxl/base.safetensors", "fresh/new.safetensors"));

        child.backend().refreshModels();

        assertThat(remote.calls("TriggerRefresh")).hasSize(1);
        assertThat(child.context().models().get(ModelType.STABLE_DIFFUSION)).containsExactly(
                "sdxl/base.safetensors", "fresh/new.safetensors");
    }

    private static void generateQuietly(RemoteChildren.Child child, GenerationJob job, RecordingGenerationOutput out) {
        try {
            child.backend().generate(job, out);
        } catch (Exception e) {
            if (!job.cancellation().isCancelled()) {
                throw new IllegalStateException(e);
            }
        }
    }
}
