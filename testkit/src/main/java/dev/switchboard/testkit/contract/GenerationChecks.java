package dev.switchboard.testkit.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.api.Backend;
import dev.switchboard.api.BackendStatus;
import dev.switchboard.api.BackendType;
import dev.switchboard.api.generation.GenerationParameters;
import dev.switchboard.api.generation.ImageGenerator;
import dev.switchboard.api.generation.ModelType;
import dev.switchboard.api.settings.Settings;
import dev.switchboard.testkit.backends.RecordingGenerationOutput;
import dev.switchboard.testkit.backends.RecordingGenerationOutput.Event;
import dev.switchboard.testkit.backends.RecordingGenerationOutput.Image;
import dev.switchboard.testkit.backends.RecordingGenerationOutput.Preview;
import dev.switchboard.testkit.backends.RecordingGenerationOutput.Progress;
import dev.switchboard.testkit.backends.TestingBackendContext;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The checks of {@link BackendTypeContractTest} on generating, for types whose instances implement
 * {@link ImageGenerator}; for other types each check is skipped with the reason (the host never gives them jobs).
 */
final class GenerationChecks {
    /** How long slow generation settings must keep a job running before the check believes them. */
    private static final Duration SLOW_PROOF = Duration.ofMillis(500);

    private final BackendTypeContractTest contract;

    GenerationChecks(BackendTypeContractTest contract) {
        this.contract = contract;
    }

    void reportsWhatItCanBeGivenJobsFor() throws Exception {
        try (RunningGenerator running = start(workingSettings())) {
            TestingBackendContext context = running.context;
            Map<ModelType, List<String>> models = context.models();
            boolean anyModel = models.values().stream().anyMatch(names -> !names.isEmpty());
            assertTrue(anyModel || !context.nodeTypes().isEmpty(), "the backend reported no models"
                    + " (BackendContext.setModels) and no node types (setNodeTypes) by the end of init(): the host"
                    + " gives a job only to a backend that listed the model (or every node type) it needs");
            models.forEach(GenerationChecks::checkNames);
            running.generator.refreshModels();
            assertEquals(models, context.models(), "refreshModels() against the same engine reported other models");
            running.shutdownAndCheckStatuses();
        }
    }

    void reportsProgressThenImages() throws Exception {
        try (RunningGenerator running = start(workingSettings())) {
            GenerationParameters parameters = contract.generationParameters(running.context);
            JobRun run = JobRun.start(running.generator, parameters);
            run.awaitSuccess(contract.generationTimeout(), "a job from generationParameters()");
            checkProgressThenImages(run.output(), parameters, "");
            running.shutdownAndCheckStatuses();
        }
    }

    void runsASecondJobAndLateOutputIsHarmless() throws Exception {
        try (RunningGenerator running = start(workingSettings())) {
            GenerationParameters first = contract.generationParameters(running.context);
            GenerationParameters second = first.toBuilder().seed(first.seed() + 1000).build();
            JobRun firstRun = JobRun.start(running.generator, first);
            firstRun.awaitSuccess(contract.generationTimeout(), "the first of two jobs");
            JobRun secondRun = JobRun.start(running.generator, second);
            secondRun.awaitSuccess(contract.generationTimeout(), "a second job on the same backend");
            checkProgressThenImages(secondRun.output(), second, " of the second job");
            // The host ignores output once generate() returned: late progress is harmless, a late image is lost.
            List<Event> lateImages = firstRun.output().lateEvents().stream().filter(Image.class::isInstance).toList();
            assertTrue(lateImages.isEmpty(), () -> lateImages.size() + " image(s) of the first job arrived after its"
                    + " generate() had returned, when the host no longer takes them: deliver every image before"
                    + " returning");
            running.shutdownAndCheckStatuses();
        }
    }

    void cancellingAJobEndsItPromptly() throws Exception {
        Optional<Settings> settings = contract.slowGenerationSettings();
        if (settings.isEmpty()) {
            requireGenerator(contract.workingSettings().orElseGet(() -> contract.backendType().settingsSchema()
                    .defaults()));
            String reason = contract.whyGenerationIsNeverSlow();
            assertNotNull(reason, "override slowGenerationSettings() with settings that make a job take long (a"
                    + " stand-in with a long time per step), or say in whyGenerationIsNeverSlow() why the type has"
                    + " none");
            assumeTrue(false, reason);
        }
        ThreadSnapshot snapshot = ThreadSnapshot.take();
        Duration promptness = contract.cancellationPromptness();
        try (RunningGenerator running = start(settings.get())) {
            JobRun run = JobRun.start(running.generator, contract.slowGenerationParameters(running.context));
            assertFalse(run.awaitEnd(SLOW_PROOF), () -> "generate() ended within " + SLOW_PROOF.toMillis() + " ms"
                    + " with slowGenerationSettings() and slowGenerationParameters() (" + run.failure() + "): they"
                    + " must make a job take long, or this check proves nothing");
            Thread canceller = run.cancel("Cancelled by the contract test.");
            canceller.join(promptness.toMillis());
            assertFalse(canceller.isAlive(), "the listeners registered with Cancellation.onCancel still ran "
                    + promptness + " after the job was cancelled: they run on the host's thread and must be quick"
                    + " (send the engine its interrupt without waiting for the answer)");
            assertTrue(run.awaitEnd(promptness), "generate() did not end within " + promptness + " after its job"
                    + " was cancelled (the host runs the Cancellation's listeners and interrupts the generating"
                    + " thread, as this check did)");
            running.shutdownAndCheckStatuses();
        }
        String leftovers = snapshot.awaitLeftovers(contract.promptness(), contract::mayOutliveShutdown);
        assertTrue(leftovers.isEmpty(), () -> "threads still alive " + contract.promptness() + " after a cancelled"
                + " job and shutdown(): " + leftovers);
    }

    void noThreadIsLeftBehindAfterGenerating() throws Exception {
        Settings settings = workingSettings();
        requireGenerator(settings);
        ThreadSnapshot snapshot = ThreadSnapshot.take();
        try (RunningGenerator running = start(settings)) {
            JobRun run = JobRun.start(running.generator, contract.generationParameters(running.context));
            run.awaitSuccess(contract.generationTimeout(), "a job from generationParameters()");
            running.shutdownAndCheckStatuses();
        }
        String leftovers = snapshot.awaitLeftovers(contract.promptness(), contract::mayOutliveShutdown);
        assertTrue(leftovers.isEmpty(), () -> "threads still alive " + contract.promptness() + " after a job and"
                + " shutdown(): " + leftovers);
    }

    private void checkProgressThenImages(RecordingGenerationOutput output, GenerationParameters parameters,
            String which) {
        List<Event> events = output.events();
        int firstProgress = indexOf(events, Progress.class);
        int firstImage = indexOf(events, Image.class);
        assertTrue(firstProgress >= 0 && (firstImage < 0 || firstProgress < firstImage), "generate() reported no"
                + " progress before the first image" + which + ": report GenerationOutput.progress as the engine works");
        double overall = 0;
        for (Progress progress : output.progress()) {
            assertTrue(fraction(progress.overall()) && fraction(progress.current()), () -> "progress" + which
                    + " must be between 0 and 1: " + progress);
            double previous = overall;
            assertTrue(progress.overall() >= previous, () -> "overall progress" + which + " went back from "
                    + previous + " to " + progress.overall());
            overall = progress.overall();
        }
        List<Image> images = output.images();
        assertEquals(parameters.batchSize(), images.size(), () -> "generate() delivered " + images.size()
                + " images" + which + " for a batch size of " + parameters.batchSize());
        for (int i = 0; i < images.size(); i++) {
            Image image = images.get(i);
            EncodedImages.problem("image " + (i + 1) + which, image.data(), image.mediaType(), parameters.width(),
                    parameters.height()).ifPresent(problem -> fail(problem));
        }
        List<Preview> previews = output.previews();
        for (int i = 0; i < previews.size(); i++) {
            Preview preview = previews.get(i);
            EncodedImages.problem("preview " + (i + 1) + which, preview.data(), preview.mediaType(), 0, 0)
                    .ifPresent(problem -> fail(problem));
        }
    }

    private static void checkNames(ModelType type, List<String> names) {
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            assertTrue(name != null && !name.isBlank(), () -> type.wireName() + " lists a blank model name");
            assertTrue(name.indexOf('\\') < 0 && !name.startsWith("/") && !name.endsWith("/")
                    && !name.contains("//"), () -> type.wireName() + " model '" + name + "' must use '/' between"
                    + " folders, relative to the engine's model folder (e.g. sdxl/base.safetensors)");
            assertTrue(seen.add(name), () -> type.wireName() + " lists '" + name + "' twice");
        }
    }

    private static boolean fraction(double value) {
        return value >= 0 && value <= 1;
    }

    private static int indexOf(List<Event> events, Class<? extends Event> kind) {
        for (int i = 0; i < events.size(); i++) {
            if (kind.isInstance(events.get(i))) {
                return i;
            }
        }
        return -1;
    }

    private Settings workingSettings() {
        Optional<Settings> working = contract.workingSettings();
        if (working.isEmpty()) {
            requireGenerator(contract.backendType().settingsSchema().defaults());
            assumeTrue(false, "no working settings given: the generation checks need a backend that reaches RUNNING");
        }
        return working.get();
    }

    /** Skips the check, saying why, when the type's instances do not generate. */
    private void requireGenerator(Settings settings) {
        BackendType type = contract.backendType();
        try (TestingBackendContext context = contract.newContext(settings)) {
            Backend backend = type.create(new StatusRuleRecorder(context));
            try {
                assumeTrue(backend instanceof ImageGenerator, () -> backend.getClass().getName() + " does not"
                        + " implement ImageGenerator: the host never gives its backends jobs, so there is no"
                        + " generation to check");
            } finally {
                shutdownQuietly(backend);
            }
        }
    }

    private RunningGenerator start(Settings settings) throws Exception {
        requireGenerator(settings);
        TestingBackendContext context = contract.newContext(settings);
        StatusRuleRecorder recorder = new StatusRuleRecorder(context);
        Backend backend = contract.backendType().create(recorder);
        RunningGenerator running = new RunningGenerator(context, recorder, backend);
        try {
            backend.init();
            // The host turns a backend RUNNING when init() returns with it still WAITING or LOADING.
            BackendStatus status = context.status();
            assertTrue(status == BackendStatus.RUNNING || status == BackendStatus.LOADING
                    || status == BackendStatus.WAITING, () -> "the host gives jobs only to RUNNING backends, but"
                    + " init() left this one " + status + ": " + context.statusMessage());
        } catch (Exception | Error e) {
            running.close();
            throw e;
        }
        return running;
    }

    private static void shutdownQuietly(Backend backend) {
        try {
            backend.shutdown();
        } catch (Exception e) {
            // Only needed to end an instance made to look at its class; the lifecycle checks test shutdown().
        }
    }

    /** A backend that has been initialised and generates; closing shuts it down and closes its context. */
    private static final class RunningGenerator implements AutoCloseable {
        private final TestingBackendContext context;
        private final StatusRuleRecorder recorder;
        private final Backend backend;
        private final ImageGenerator generator;
        private boolean shutDown;

        RunningGenerator(TestingBackendContext context, StatusRuleRecorder recorder, Backend backend) {
            this.context = context;
            this.recorder = recorder;
            this.backend = backend;
            this.generator = (ImageGenerator) backend;
        }

        void shutdownAndCheckStatuses() throws Exception {
            shutDown = true;
            backend.shutdown();
            LifecycleChecks.assertOnlyLegalStatuses(context, recorder);
        }

        @Override
        public void close() throws Exception {
            try {
                if (!shutDown) {
                    backend.shutdown();
                }
            } finally {
                context.close();
            }
        }
    }
}
