package dev.switchboard.plugins.comfyui.selfstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.api.BackendStatus;
import dev.switchboard.api.generation.Cancellation;
import dev.switchboard.api.generation.GenerationException;
import dev.switchboard.api.generation.GenerationJob;
import dev.switchboard.api.generation.GenerationParameters;
import dev.switchboard.api.generation.ModelType;
import dev.switchboard.api.settings.Settings;
import dev.switchboard.plugins.comfyui.RecordingOutput;
import dev.switchboard.plugins.comfyui.connection.ComfyUiTimeouts;
import dev.switchboard.plugins.comfyui.generation.JobTimeouts;
import dev.switchboard.testkit.backends.TestingBackendContext;
import dev.switchboard.testkit.comfyui.FakeComfyUiScript;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code comfyui_selfstart} generating through the testkit's fake ComfyUI {@code main.py}, a real child process. */
final class ComfyUiSelfStartGenerationTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String MODEL = "fake/model-a.safetensors";
    private static final SelfStartTuning FAST = new SelfStartTuning(Duration.ofMillis(100), Duration.ofMillis(400),
            3, Duration.ofMinutes(1), Duration.ofSeconds(2), 5, Duration.ofMillis(100), Duration.ofSeconds(10));
    private static final JobTimeouts JOB_TIMEOUTS = new JobTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(2),
            Duration.ofSeconds(3), Duration.ofSeconds(3), Duration.ofSeconds(10), Duration.ofSeconds(5));
    private static final Pattern RUNNING = Pattern.compile("Running: ComfyUI on port (\\d+) \\(pid (\\d+)\\)");

    @TempDir
    Path comfy;

    private final List<TestingBackendContext> contexts = new ArrayList<>();
    private final List<ComfyUiSelfStartBackend> backends = new ArrayList<>();

    @AfterEach
    void tearDown() {
        backends.forEach(ComfyUiSelfStartBackend::shutdown);
        contexts.forEach(TestingBackendContext::close);
    }

    @Test
    void generatesAnImageThroughTheLaunchedComfyUi() throws Exception {
        TestingBackendContext context = context("");
        ComfyUiSelfStartBackend backend = running(context);
        assertThat(context.models().get(ModelType.STABLE_DIFFUSION)).containsExactly(MODEL);
        assertThat(context.nodeTypes()).contains("KSamplerAdvanced", "SaveImage");
        assertThat(context.features()).containsExactlyInAnyOrder("comfyui", "folderslash");
        RecordingOutput output = new RecordingOutput();

        backend.generate(job(parameters().size(64, 48).steps(3).build()), output);

        assertThat(output.images()).singleElement().satisfies(image -> {
            assertThat(image.mediaType()).isEqualTo("image/png");
            BufferedImage decoded = image.decoded();
            assertThat(decoded.getWidth()).isEqualTo(64);
            assertThat(decoded.getHeight()).isEqualTo(48);
        });
        assertThat(output.previews()).hasSize(3).allSatisfy(preview -> assertThat(preview.mediaType())
                .isEqualTo("image/png"));
        assertThat(output.progress()).extracting(RecordingOutput.Progress::current).contains(1.0);
    }

    @Test
    void aBatchOfTwoGivesTwoDifferentImages() throws Exception {
        ComfyUiSelfStartBackend backend = running(context(""));
        RecordingOutput output = new RecordingOutput();

        backend.generate(job(parameters().size(32, 32).batchSize(2).build()), output);

        assertThat(output.images()).hasSize(2);
        assertThat(output.images().get(0).pixels()).isNotEqualTo(output.images().get(1).pixels());
    }

    @Test
    void aModelTheLaunchedComfyUiDoesNotHaveFailsReadably() throws Exception {
        ComfyUiSelfStartBackend backend = running(context(""));

        assertThatThrownBy(() -> backend.generate(job(parameters().model("nope.safetensors").build()),
                new RecordingOutput()))
                .isInstanceOf(GenerationException.class)
                .hasMessage("ComfyUI errored: Prompt outputs failed validation. Node 4 (CheckpointLoaderSimple),"
                        + " input ckpt_name: Value not in list: ckpt_name: 'nope.safetensors' not in"
                        + " ['fake/model-a.safetensors'].");
    }

    @Test
    void aComfyUiThatCrashesMidJobFailsTheJobNamingItsAddress() throws Exception {
        Path signals = Files.createDirectories(comfy.resolve("signals"));
        TestingBackendContext context = context("--mode crash-after --crash-signal '" + signals
                + "' --step-seconds 0.1");
        ComfyUiSelfStartBackend backend = running(context);
        Matcher running = RUNNING.matcher(context.statusMessage());
        assertThat(running.matches()).isTrue();
        RecordingOutput output = new RecordingOutput();
        CompletableFuture<Void> job = CompletableFuture.runAsync(() -> {
            try {
                backend.generate(job(parameters().steps(300).build()), output);
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        await().atMost(PATIENCE).until(() -> !output.previews().isEmpty());

        FakeComfyUiScript.crash(signals, Long.parseLong(running.group(2)));

        assertThatThrownBy(() -> job.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS))
                .isInstanceOf(ExecutionException.class).cause()
                .isInstanceOf(GenerationException.class)
                .hasMessageStartingWith("Lost the connection to ComfyUI at http://127.0.0.1:" + running.group(1)
                        + " while it ran prompt ");
    }

    private static GenerationParameters.Builder parameters() {
        return GenerationParameters.builder().model(MODEL).prompt("a fox").seed(3).steps(2).size(32, 32);
    }

    private static GenerationJob job(GenerationParameters parameters) {
        return new GenerationJob(UUID.randomUUID().toString(), parameters, Cancellation.create());
    }

    private ComfyUiSelfStartBackend running(TestingBackendContext context) throws Exception {
        ComfyUiSelfStartBackend backend = new ComfyUiSelfStartBackend(context, ComfyUiTimeouts.DEFAULTS, FAST,
                PortSource.ephemeral(), new HashMap<>(System.getenv()), ListenerOwnership.system(), JOB_TIMEOUTS);
        backends.add(backend);
        backend.init();
        assertThat(context.status()).as(context.statusMessage()).isEqualTo(BackendStatus.RUNNING);
        return backend;
    }

    private TestingBackendContext context(String extraArgs) {
        Map<String, Object> values = new LinkedHashMap<>(ComfyUiSelfStartSettings.SCHEMA.defaults().values());
        values.put("StartScript", FakeComfyUiScript.install(comfy).toString());
        values.put("ExtraArgs", extraArgs);
        values.put("AutoRestart", false);
        TestingBackendContext context = new TestingBackendContext(new Settings(ComfyUiSelfStartSettings.SCHEMA, values));
        contexts.add(context);
        return context;
    }
}
