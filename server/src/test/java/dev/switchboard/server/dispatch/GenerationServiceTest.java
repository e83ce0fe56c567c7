package dev.switchboard.server.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonParser;
import dev.switchboard.api.generation.GenerationParameters;
import dev.switchboard.api.generation.LoraWeight;
import dev.switchboard.server.generation.GenerationRequest;
import dev.switchboard.server.generation.GenerationRun;
import dev.switchboard.server.generation.GenerationService;
import dev.switchboard.server.generation.GenerationSink;
import dev.switchboard.server.generation.InvalidRequestException;
import dev.switchboard.server.limits.RoleLimits;
import dev.switchboard.server.limits.UserLimits;
import dev.switchboard.server.outputs.OutputStore;
import dev.switchboard.server.outputs.PngText;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A request through the generation service, the dispatcher and in-process generating backends. */
final class GenerationServiceTest {
    @TempDir
    Path data;
    private GeneratingBackends generating;
    private FakeGeneratorType fake;
    private Dispatcher dispatcher;
    private GenerationService generations;

    @BeforeEach
    void start() throws Exception {
        generating = new GeneratingBackends(data);
        fake = generating.fake;
        dispatcher = new Dispatcher(generating.manager.registry(), DispatchOptions.defaults(), JobObserver.NONE);
        generations = new GenerationService(dispatcher, new OutputStore(data.resolve("outputs"), Clock.systemUTC()),
                DispatchOptions.defaults());
    }

    @AfterEach
    void stop() {
        dispatcher.close();
        generating.close();
    }

    private void backend(String settings) throws Exception {
        generating.running(settings);
    }

    private static GenerationRequest request(int images, boolean doNotSave, GenerationParameters base) {
        return new GenerationRequest(images, base, true, null, Set.of(), null, null, doNotSave, true, false,
                List.of("prompt", "seed"));
    }

    /** The seed embedded in a saved image. */
    private static final class PngSeed {
        static long of(Path data, String viewPath) {
            try {
                byte[] png = Files.readAllBytes(data.resolve("outputs").resolve(viewPath.substring("View/".length())));
                return JsonParser.parseString(PngText.read(png).get("parameters")).getAsJsonObject()
                        .getAsJsonObject("sui_image_params").get("seed").getAsLong();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /** Everything the sink saw, in order, as short strings. */
    private static final class Recorded implements GenerationSink {
        final List<String> events = new CopyOnWriteArrayList<>();
        final List<String> images = new CopyOnWriteArrayList<>();

        @Override
        public void progress(int batchIndex, double overall, double current, String preview) {
            events.add("progress " + batchIndex);
        }

        @Override
        public void image(int batchIndex, String image, String metadata, List<String> usedParameters) {
            events.add("image " + batchIndex + " used " + usedParameters + " " + metadata.contains("\"seed\""));
            images.add(image);
        }

        @Override
        public void keepAlive() {
            events.add("keep_alive");
        }

        @Override
        public void error(String message) {
            events.add("error " + message);
        }
    }

    @Test
    void fourImagesRunOnTwoBackendsInParallelWithIncreasingSeedsAndAreSaved() throws Exception {
        backend("{\"Steps\":2,\"StepMillis\":300}");
        backend("{\"Steps\":2,\"StepMillis\":300}");
        Recorded sink = new Recorded();
        GenerationParameters base = GenerationParameters.builder().model("base").seed(100).size(32, 32).build();

        GenerationRun run = generations.start("s1", "local", request(4, false, base), sink);
        assertThat(run.awaitEnd(Duration.ofSeconds(10))).isTrue();

        assertThat(sink.events).noneMatch(event -> event.startsWith("error"));
        assertThat(sink.images).hasSize(4).allSatisfy(path -> {
            // One request, one stamp: the names differ only by SwarmUI's -1, -2, ... for a name in use.
            assertThat(path).matches("View/local/raw/\\d{4}-\\d{2}-\\d{2}/\\d{7}--base(-[123])?\\.png");
            byte[] png = Files.readAllBytes(data.resolve("outputs").resolve(path.substring("View/".length())));
            assertThat(ImageIO.read(new ByteArrayInputStream(png)).getWidth()).isEqualTo(32);
            assertThat(PngText.read(png).get("parameters")).contains("\"seed\":10");
        });
        assertThat(sink.images.stream().map(path -> PngSeed.of(data, path))).containsExactlyInAnyOrder(100L, 101L,
                102L, 103L);
        assertThat(fake.runs).extracting(runOf -> runOf.backendId()).containsOnly(0, 1);
        assertThat(fake.mostAtOnce(0) + fake.mostAtOnce(1)).isEqualTo(2);
        assertThat(sink.events).filteredOn(event -> event.startsWith("image"))
                .allMatch(event -> event.contains("used [prompt, seed] true"));
    }

    @Test
    void doNotSaveAnswersDataUrlsOfRealImagesAndWritesNothing() throws Exception {
        backend("{}");
        Recorded sink = new Recorded();
        GenerationParameters base = GenerationParameters.builder().model("base").seed(7).size(40, 24).batchSize(2)
                .build();

        generations.start("s1", "local", request(1, true, base), sink).awaitEnd(Duration.ofSeconds(10));

        assertThat(data.resolve("outputs")).doesNotExist();
        assertThat(sink.images).hasSize(2).allSatisfy(image -> {
            assertThat(image).startsWith("data:image/png;base64,");
            byte[] png = Base64.getDecoder().decode(image.substring(image.indexOf(',') + 1));
            assertThat(ImageIO.read(new ByteArrayInputStream(png)).getWidth()).isEqualTo(40);
        });
        assertThat(sink.events).filteredOn(event -> event.startsWith("image")).containsExactly(
                "image 0 used [prompt, seed] true", "image 1 used [prompt, seed] true");
    }

    @Test
    void anUnwritableOutputsFolderFailsTheJobWithSwarmUisTextAndTheReason() throws Exception {
        backend("{}");
        // A file where the outputs folder should be: every save fails, whoever runs the test.
        Files.writeString(data.resolve("outputs"), "in the way");
        Recorded sink = new Recorded();
        GenerationParameters base = GenerationParameters.builder().model("base").build();

        generations.start("s1", "local", request(1, false, base), sink).awaitEnd(Duration.ofSeconds(10));

        assertThat(sink.events).filteredOn(event -> event.startsWith("error")).singleElement().asString()
                .startsWith("error Server failed to save an image. Could not write to outputs/local/");
        assertThat(sink.images).isEmpty();
    }

    @Test
    void anInterruptedRequestWithoutImagesSaysSo() throws Exception {
        backend("{\"Steps\":100,\"StepMillis\":100}");
        Recorded sink = new Recorded();
        GenerationParameters base = GenerationParameters.builder().model("base").build();
        GenerationRun run = generations.start("s1", "local", request(3, false, base), sink);
        await().atMost(Duration.ofSeconds(10)).until(() -> dispatcher.counts("s1").running() == 1);

        generations.interruptSession("s1");
        assertThat(run.awaitEnd(Duration.ofSeconds(10))).isTrue();
        assertThat(sink.events).filteredOn(event -> event.startsWith("error"))
                .containsExactly("error Generation session interrupted.");
        assertThat(dispatcher.counts("s1")).isEqualTo(new SessionCounts(0, 0));
    }

    @Test
    void theFirstFailureIsReportedAndCancelsTheRest() throws Exception {
        backend("{\"Fail\":\"ComfyUI execution error: boom\",\"MaxUsages\":1}");
        Recorded sink = new Recorded();
        GenerationParameters base = GenerationParameters.builder().model("base").build();
        generations.start("s1", "local", request(5, false, base), sink).awaitEnd(Duration.ofSeconds(10));
        assertThat(sink.events).filteredOn(event -> event.startsWith("error"))
                .containsExactly("error ComfyUI execution error: boom");
        assertThat(fake.runs.size()).isLessThan(5);
    }

    @Test
    void aUserWhoseRolesAllowNoGenerationsIsRefusedAndNothingIsQueued() throws Exception {
        backend("{}");
        GenerationService limited = limited(RoleLimits.of(0, List.of(), List.of()));
        GenerationParameters base = GenerationParameters.builder().model("base").build();

        assertThatThrownBy(() -> limited.start("s1", "ann", request(2, false, base), new Recorded()))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("Your role does not allow generating images (max_t2i_simultaneous is 0).");
        assertThat(dispatcher.counts("s1")).isEqualTo(new SessionCounts(0, 0));
        assertThat(dispatcher.queuedTotal()).isZero();
        assertThat(fake.runs).isEmpty();
    }

    @Test
    void aModelTheUsersRolesDoNotAllowIsRefusedByNameInEverySpellingAndKind() throws Exception {
        backend("{\"Models\":\"base.safetensors,secret.safetensors\"}");
        GenerationService limited = limited(RoleLimits.of(4, List.of(), List.of("secret.safetensors", "loras/x*")));
        GenerationParameters.Builder plain = GenerationParameters.builder().model("base");

        for (String spelling : List.of("secret", "SECRET", "secret.safetensors", "Secret.SafeTensors")) {
            assertThatThrownBy(() -> limited.start("s1", "ann", request(1, false,
                    GenerationParameters.builder().model(spelling).build()), new Recorded()))
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessage("You may not use the model '" + spelling + "': your role does not allow it.");
        }
        assertThatThrownBy(() -> limited.start("s1", "ann", request(1, false,
                plain.loras(List.of(new LoraWeight("loras\\xmas", 1, 1))).build()), new Recorded()))
                .hasMessage("You may not use the model 'loras\\xmas': your role does not allow it.");
        assertThatThrownBy(() -> limited.start("s1", "ann", request(1, false,
                GenerationParameters.builder().model("base").vae("secret").build()), new Recorded()))
                .hasMessageContaining("'secret'");
        assertThat(dispatcher.queuedTotal()).isZero();
        assertThat(fake.runs).isEmpty();

        // What the roles allow still runs, and other users are not limited by Ann's roles.
        Recorded sink = new Recorded();
        assertThat(limited.start("s1", "ann", request(1, true, GenerationParameters.builder().model("base").build()),
                sink).awaitEnd(Duration.ofSeconds(10))).isTrue();
        assertThat(sink.images).hasSize(1);
        Recorded other = new Recorded();
        assertThat(limited.start("s2", "bob", request(1, true, GenerationParameters.builder().model("secret")
                .build()), other).awaitEnd(Duration.ofSeconds(10))).isTrue();
        assertThat(other.images).hasSize(1);
    }

    /** A service over the same dispatcher where Ann has these role limits and everyone else none. */
    private GenerationService limited(RoleLimits annsRole) {
        return new GenerationService(dispatcher, new OutputStore(data.resolve("outputs"), Clock.systemUTC()),
                DispatchOptions.defaults(), UserLimits.fromRoles(user -> user.equals("ann") ? List.of(annsRole)
                        : List.of(RoleLimits.of(Integer.MAX_VALUE, List.of(), List.of()))));
    }
}
