package dev.switchboard.examples.autowebui;

import static dev.switchboard.examples.autowebui.AutoWebUiApiContractTest.address;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.switchboard.api.generation.Cancellation;
import dev.switchboard.api.generation.GenerationException;
import dev.switchboard.api.generation.GenerationJob;
import dev.switchboard.api.generation.GenerationParameters;
import dev.switchboard.api.generation.ModelType;
import dev.switchboard.testkit.backends.RecordingGenerationOutput;
import dev.switchboard.testkit.backends.RecordingGenerationOutput.Progress;
import dev.switchboard.testkit.backends.TestingBackendContext;
import dev.switchboard.testkit.sdwebui.SdWebUiGeneration;
import dev.switchboard.testkit.sdwebui.SdWebUiModel;
import dev.switchboard.testkit.sdwebui.SdWebUiRequest;
import dev.switchboard.testkit.sdwebui.SdWebUiStandIn;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The example generating through the SD-WebUI stand-in over real sockets. */
final class AutoWebUiGenerationTest {
    private static final String MODEL = "v1-5-pruned-emaonly.safetensors";

    private final SdWebUiStandIn webUi = SdWebUiStandIn.start();
    private TestingBackendContext context;
    private AutoWebUiApiBackend backend;

    @BeforeEach
    void start() throws Exception {
        context = new TestingBackendContext(address(webUi.address()));
        backend = new AutoWebUiApiBackend(context, Duration.ofSeconds(2));
        backend.init();
    }

    @AfterEach
    void stop() {
        backend.shutdown();
        context.close();
        webUi.close();
    }

    @Test
    void reportsProgressStepByStepWithPreviewsThenTheImages() throws Exception {
        webUi.holdSteps();
        GenerationParameters parameters = GenerationParameters.builder().model(MODEL).prompt("a lighthouse")
                .negativePrompt("fog").seed(77).steps(3).cfgScale(6.5).size(120, 80).batchSize(2)
                .clipStopAtLayer(-2).build();
        RecordingGenerationOutput output = new RecordingGenerationOutput();
        Running job = Running.start(backend, parameters, output);

        for (int step = 1; step <= 3; step++) {
            webUi.releaseSteps(1);
            // SD-WebUI's own progress: 0.01 + steps done / steps, at most 1.
            double expected = Math.min(1, 0.01 + step / 3.0);
            // The backend polls /sdapi/v1/progress and passes each new state on.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(output.progress())
                    .anySatisfy(progress -> assertThat(progress.overall()).isCloseTo(expected, within(1e-9))));
        }
        job.awaitEnd(Duration.ofSeconds(30));

        assertThat(job.failure()).isNull();
        assertThat(output.progress()).extracting(Progress::overall).isSorted().endsWith(1.0);
        assertThat(output.progress()).anySatisfy(progress -> assertThat(progress.current()).isEqualTo(1.0 / 3));
        assertThat(output.previews()).isNotEmpty().allSatisfy(preview ->
                assertThat(preview.mediaType()).isEqualTo("image/png"));
        assertThat(output.images()).hasSize(2).allSatisfy(image -> {
            assertThat(image.mediaType()).isEqualTo("image/png");
            BufferedImage picture = ImageIO.read(new ByteArrayInputStream(image.data()));
            assertThat(picture.getWidth()).isEqualTo(120);
            assertThat(picture.getHeight()).isEqualTo(80);
        });
        SdWebUiGeneration generation = webUi.generations().get(0);
        assertThat(generation.prompt()).isEqualTo("a lighthouse");
        assertThat(generation.negativePrompt()).isEqualTo("fog");
        assertThat(generation.seed()).isEqualTo(77);
        assertThat(generation.steps()).isEqualTo(3);
        assertThat(generation.cfgScale()).isEqualTo(6.5);
        assertThat(generation.batchSize()).isEqualTo(2);
        assertThat(generation.iterations()).isEqualTo(1);
        assertThat(generation.checkpoint()).isEqualTo(SdWebUiStandIn.DEFAULT_MODEL.title());
        assertThat(generation.clipStopAtLastLayers()).isEqualTo(2);
        assertThat(generation.restoreAfterwards()).isFalse();
    }

    @Test
    void aCancelledJobInterruptsTheWebUiAndEndsWithoutImages() throws Exception {
        webUi.setStepTime(Duration.ofMinutes(1));
        RecordingGenerationOutput output = new RecordingGenerationOutput();
        Running job = Running.start(backend, GenerationParameters.builder().model(MODEL).steps(30).build(), output);
        await().atMost(Duration.ofSeconds(30)).until(webUi::isGenerating);

        job.job.cancellation().cancel("Generation session interrupted.");

        job.awaitEnd(Duration.ofSeconds(10));
        assertThat(output.images()).isEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> webUi.interrupts() == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> !webUi.isGenerating());
        assertThat(webUi.generations()).singleElement().satisfies(generation ->
                assertThat(generation.interrupted()).isTrue());
    }

    @Test
    void switchesToTheRequestedCheckpointAndKeepsItLoaded() throws Exception {
        SdWebUiModel sdxl = SdWebUiModel.of("sdxl/juggernaut.safetensors", "1234567890");
        webUi.setModels(List.of(SdWebUiStandIn.DEFAULT_MODEL, sdxl));
        backend.refreshModels();

        generate(GenerationParameters.builder().model("sdxl/juggernaut.safetensors").steps(1).size(8, 8).build());

        assertThat(context.models()).containsEntry(ModelType.STABLE_DIFFUSION,
                List.of(MODEL, "sdxl/juggernaut.safetensors"));
        assertThat(webUi.requests()).extracting(SdWebUiRequest::path).contains("/sdapi/v1/refresh-checkpoints");
        assertThat(webUi.generations().get(0).checkpoint()).isEqualTo(sdxl.title());
        assertThat(webUi.checkpoint()).isEqualTo(sdxl.title());
    }

    @Test
    void samplersAndSchedulersAreSentByTheWebUisOwnNames() throws Exception {
        generate(GenerationParameters.builder().model(MODEL).steps(1).size(8, 8).sampler("euler a")
                .scheduler("Karras").build());

        assertThat(webUi.generations().get(0).samplerName()).isEqualTo("Euler a");
        assertThat(webUi.generations().get(0).scheduler()).isEqualTo("karras");
        assertThatThrownBy(() -> generate(GenerationParameters.builder().model(MODEL).sampler("uni_pc").build()))
                .isInstanceOf(GenerationException.class).hasMessage("SD-WebUI at " + webUi.address() + " has no sampler"
                        + " 'uni_pc' (it has DPM++ 2M, Euler a, Euler, DDIM).");
    }

    @Test
    void theVariationSeedBecomesSdWebUisSubseed() throws Exception {
        generate(GenerationParameters.builder().model(MODEL).steps(1).size(8, 8)
                .raw(Map.of("variationseed", "99", "variationseedstrength", "0.25")).build());

        assertThat(webUi.generations().get(0).subseed()).isEqualTo(99);
        assertThat(webUi.generations().get(0).subseedStrength()).isEqualTo(0.25);
    }

    @Test
    void whatItCannotHonourIsRefusedBeforeTheWebUiIsAsked() {
        assertThatThrownBy(() -> generate(GenerationParameters.builder().model("sdxl/missing.safetensors").build()))
                .isInstanceOf(GenerationException.class).hasMessage("SD-WebUI at " + webUi.address()
                        + " has no checkpoint 'sdxl/missing.safetensors' (any more): refresh the model lists.");
        assertThatThrownBy(() -> generate(GenerationParameters.builder().model(MODEL).steps(0).build()))
                .hasMessage("SD-WebUI samples at least one step; 0 steps were asked for.");
        assertThatThrownBy(() -> generate(GenerationParameters.builder().model(MODEL).workflow("{}").build()))
                .hasMessage("SD-WebUI backends run no ComfyUI workflows.");
        assertThat(webUi.generations()).isEmpty();
    }

    @Test
    void aWebUiThatFailsTheGenerationGivesItsErrorToTheUser() {
        webUi.setGenerationFailure("CUDA out of memory. Tried to allocate 2.00 GiB");

        assertThatThrownBy(() -> generate(GenerationParameters.builder().model(MODEL).steps(1).size(8, 8).build()))
                .isInstanceOf(GenerationException.class).hasMessage("SD-WebUI at " + webUi.address() + " answered"
                        + " HTTP 500 for /sdapi/v1/txt2img: RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB");
    }

    @Test
    void aWebUiThatGoesAwayMidJobFailsTheJob() throws Exception {
        webUi.setStepTime(Duration.ofMinutes(1));
        RecordingGenerationOutput output = new RecordingGenerationOutput();
        Running job = Running.start(backend, GenerationParameters.builder().model(MODEL).steps(30).build(), output);
        await().atMost(Duration.ofSeconds(30)).until(webUi::isGenerating);

        webUi.close();

        job.awaitEnd(Duration.ofSeconds(30));
        // Whichever notices first, the call's connection or the progress poll, names the WebUI.
        assertThat(job.failure()).isInstanceOf(GenerationException.class)
                .hasMessageContaining("SD-WebUI at " + webUi.address());
        assertThat(output.images()).isEmpty();
    }

    @Test
    void aWebUiThatStopsAnsweringMidJobFailsTheJobAtTheCallDeadline() throws Exception {
        webUi.setStepTime(Duration.ofMinutes(1));
        RecordingGenerationOutput output = new RecordingGenerationOutput();
        Running job = Running.start(backend, GenerationParameters.builder().model(MODEL).steps(30).build(), output);
        await().atMost(Duration.ofSeconds(30)).until(webUi::isGenerating);

        // From now on its progress route hangs, as a WebUI stuck in a driver call would.
        webUi.setStalled(true);

        job.awaitEnd(Duration.ofSeconds(30));
        assertThat(job.failure()).isInstanceOf(GenerationException.class).hasMessage("SD-WebUI at " + webUi.address()
                + " stopped answering during the generation: SD-WebUI at " + webUi.address() + " did not answer"
                + " /sdapi/v1/progress?skip_current_image=false within 2 s: is it busy loading a model, or is the"
                + " address wrong?");
    }

    private void generate(GenerationParameters parameters) throws Exception {
        backend.generate(new GenerationJob("job", parameters, Cancellation.create()), new RecordingGenerationOutput());
    }

    /** A job on a thread of its own, as the host runs it. */
    private static final class Running {
        private final GenerationJob job;
        private final Thread thread;
        private final AtomicReference<Exception> failure = new AtomicReference<>();

        private Running(AutoWebUiApiBackend backend, GenerationParameters parameters, RecordingGenerationOutput output) {
            this.job = new GenerationJob("running", parameters, Cancellation.create());
            this.thread = new Thread(() -> {
                try {
                    backend.generate(job, output);
                } catch (Exception e) {
                    failure.set(e);
                } finally {
                    output.close();
                }
            }, "test-generate");
        }

        static Running start(AutoWebUiApiBackend backend, GenerationParameters parameters,
                RecordingGenerationOutput output) {
            Running running = new Running(backend, parameters, output);
            running.thread.start();
            return running;
        }

        void awaitEnd(Duration patience) throws InterruptedException {
            thread.join(patience.toMillis());
            assertThat(thread.isAlive()).as("generate() still running after " + patience).isFalse();
        }

        Exception failure() {
            return failure.get();
        }
    }
}
