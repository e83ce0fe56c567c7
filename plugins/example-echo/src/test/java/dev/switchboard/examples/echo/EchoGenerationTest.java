package dev.switchboard.examples.echo;

import static dev.switchboard.examples.echo.EchoBackendTest.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.api.generation.Cancellation;
import dev.switchboard.api.generation.GenerationException;
import dev.switchboard.api.generation.GenerationJob;
import dev.switchboard.api.generation.GenerationParameters;
import dev.switchboard.api.generation.LoraWeight;
import dev.switchboard.testkit.backends.RecordingGenerationOutput;
import dev.switchboard.testkit.backends.RecordingGenerationOutput.Image;
import dev.switchboard.testkit.backends.RecordingGenerationOutput.Progress;
import dev.switchboard.testkit.backends.TestingBackendContext;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

final class EchoGenerationTest {
    private TestingBackendContext context;
    private EchoBackend backend;

    @BeforeEach
    void start() {
        context = new TestingBackendContext(settings(Map.of(EchoSettings.STEP_MILLIS, 0L)));
        backend = new EchoBackend(context);
        backend.init();
    }

    @AfterEach
    void stop() {
        backend.shutdown();
        context.close();
    }

    // tag::generation-test[]
    @Test
    void drawsABatchOfPngsOfTheRequestedSizeAfterProgressAndAPreview() throws Exception {
        GenerationParameters parameters = GenerationParameters.builder().model("echo/gradient.safetensors")
                .prompt("a red fox").seed(7).steps(4).size(120, 80).batchSize(2).build();
        RecordingGenerationOutput output = new RecordingGenerationOutput();

        backend.generate(new GenerationJob("job-1", parameters, Cancellation.create()), output);

        assertThat(output.progress()).extracting(Progress::overall).containsExactly(0.25, 0.5, 0.75, 1.0);
        assertThat(output.previews()).singleElement().satisfies(preview -> {
            assertThat(preview.mediaType()).isEqualTo("image/png");
            assertThat(decode(preview.data()).getWidth()).isEqualTo(30);
        });
        assertThat(output.images()).hasSize(2).allSatisfy(image -> {
            assertThat(image.mediaType()).isEqualTo("image/png");
            BufferedImage picture = decode(image.data());
            assertThat(picture.getWidth()).isEqualTo(120);
            assertThat(picture.getHeight()).isEqualTo(80);
        });
    }
    // end::generation-test[]

    @Test
    void thePictureDependsOnSeedAndPromptAndNothingElseRandom() throws Exception {
        GenerationParameters fox = GenerationParameters.builder().model("echo/gradient.safetensors")
                .prompt("a red fox").seed(7).steps(1).size(64, 64).batchSize(2).build();

        List<Image> first = run(fox);
        List<Image> again = run(fox);
        List<Image> otherPrompt = run(fox.toBuilder().prompt("a blue whale").build());
        List<Image> nextSeed = run(fox.toBuilder().seed(8).build());

        assertThat(again.get(0).data()).isEqualTo(first.get(0).data());
        assertThat(first.get(1).data()).isNotEqualTo(first.get(0).data());
        // The second image of a batch is drawn with seed + 1: the first image of the job that starts there.
        assertThat(nextSeed.get(0).data()).isEqualTo(first.get(1).data());
        assertThat(otherPrompt.get(0).data()).isNotEqualTo(first.get(0).data());
        assertThat(pixels(decode(first.get(0).data()))).hasSizeGreaterThan(8);
    }

    @Test
    void refusesWhatItCannotHonourWithMessagesUsersRead() {
        GenerationParameters base = GenerationParameters.builder().model("echo/gradient.safetensors").build();

        assertThatThrownBy(() -> run(base.toBuilder().model("sdxl/base.safetensors").build()))
                .isInstanceOf(GenerationException.class).hasMessage("Model 'sdxl/base.safetensors' is not one of this"
                        + " backend's models (echo/gradient.safetensors, echo/stripes.safetensors).");
        assertThatThrownBy(() -> run(base.toBuilder().model(null).build())).isInstanceOf(GenerationException.class)
                .hasMessage("No model was given: the echo backend draws with one of echo/gradient.safetensors,"
                        + " echo/stripes.safetensors.");
        assertThatThrownBy(() -> run(base.toBuilder().loras(List.of(new LoraWeight("detail", 1, 1))).build()))
                .hasMessage("The echo backend has no LoRA models, so it cannot apply 'detail'.");
        assertThatThrownBy(() -> run(base.toBuilder().vae("sdxl_vae.safetensors").build()))
                .hasMessage("The echo backend has no VAE models, so it cannot use 'sdxl_vae.safetensors'.");
        assertThatThrownBy(() -> run(base.toBuilder().size(4097, 64).build()))
                .hasMessage("The echo backend draws at most 4096 pixels a side; 4097x64 was asked for.");
        assertThatThrownBy(() -> run(base.toBuilder().workflow("{}").build()))
                .hasMessage("The echo backend runs no workflows.");
    }

    @Test
    void aCancelledJobStopsAtOnceWithoutImages() throws Exception {
        try (TestingBackendContext slowContext = new TestingBackendContext(settings(Map.of(
                EchoSettings.STEP_MILLIS, 60_000L)))) {
            EchoBackend slow = new EchoBackend(slowContext);
            slow.init();
            GenerationJob job = new GenerationJob("slow", GenerationParameters.builder()
                    .model("echo/stripes.safetensors").steps(10).build(), Cancellation.create());
            RecordingGenerationOutput output = new RecordingGenerationOutput();
            AtomicReference<Exception> failure = new AtomicReference<>();
            Thread generating = new Thread(() -> {
                try {
                    slow.generate(job, output);
                } catch (Exception e) {
                    failure.set(e);
                }
            });
            generating.start();

            // Only the cancellation's listener wakes the step wait; the thread is not interrupted here.
            job.cancellation().cancel("Generation session interrupted.");
            generating.join(TimeUnit.SECONDS.toMillis(10));

            assertThat(generating.isAlive()).isFalse();
            assertThat(failure.get()).isNull();
            assertThat(output.images()).isEmpty();
            slow.shutdown();
        }
    }

    @Test
    void stepsTakeTheirSettingsTime() throws Exception {
        try (TestingBackendContext timed = new TestingBackendContext(settings(Map.of(EchoSettings.STEP_MILLIS, 100L)))) {
            EchoBackend echo = new EchoBackend(timed);
            echo.init();
            RecordingGenerationOutput output = new RecordingGenerationOutput();
            long started = System.nanoTime();

            echo.generate(new GenerationJob("timed", GenerationParameters.builder().model("echo/gradient.safetensors")
                    .steps(3).size(8, 8).build(), Cancellation.create()), output);

            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            assertThat(output.images()).hasSize(1);
            echo.shutdown();
        }
    }

    private List<Image> run(GenerationParameters parameters) throws Exception {
        RecordingGenerationOutput output = new RecordingGenerationOutput();
        backend.generate(new GenerationJob("job", parameters, Cancellation.create()), output);
        return output.images();
    }

    private static BufferedImage decode(byte[] png) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(image).as("a decodable PNG").isNotNull();
        return image;
    }

    private static Set<Integer> pixels(BufferedImage image) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours;
    }
}
