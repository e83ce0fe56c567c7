package dev.switchboard.testkit.contract;

import dev.switchboard.api.BackendType;
import dev.switchboard.api.generation.GenerationParameters;
import dev.switchboard.api.generation.ImageGenerator;
import dev.switchboard.api.generation.ModelType;
import dev.switchboard.api.settings.Settings;
import dev.switchboard.testkit.backends.TestingBackendContext;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * The checks every backend type should pass, as a JUnit 5 base class: extend it, return your type from
 * {@link #backendType()}, and (to exercise a real start-up) settings that make {@code init()} succeed against a
 * stand-in from {@link #workingSettings()}.
 *
 * <pre>{@code
 * final class EchoBackendTypeContractTest extends BackendTypeContractTest {
 *     protected BackendType backendType() { return new EchoBackendType(); }
 * }
 * }</pre>
 *
 * <p>What it checks:
 * <ul>
 *   <li>the type: id syntax (letters, digits, {@code _ - .}, as the server requires), non-blank name and
 *       description, positive init timeout, the same values on every call;</li>
 *   <li>the settings schema: unique names, defaults that fit their setting and pass {@link BackendType#validate},
 *       dropdowns with unique values and one non-blank name per value, ranges with min &lt;= max;</li>
 *   <li>secrets: a secret value never shows in {@code Settings.toString()} or {@code Secret.toString()};</li>
 *   <li>the lifecycle under a {@link TestingBackendContext}: {@code create} reports nothing; {@code shutdown} is
 *       idempotent, also without {@code init}; with working settings {@code init} ends without an error,
 *       {@code freeMemory} answers, and a backend never sets {@code WAITING} or {@code ERRORED} itself;
 *       {@code shutdown} while {@code init} runs makes {@code init} return within
 *       {@link #promptness()} (the test then interrupts the init thread, as the host does);</li>
 *   <li>no thread left behind: every thread started during a create/init/freeMemory/shutdown cycle has ended
 *       once shutdown returned (waiting up to {@link #promptness()}), except those {@link #mayOutliveShutdown}
 *       excuses;</li>
 *   <li>generation, for types whose instances (made with the working settings) implement {@link ImageGenerator}
 *       (the others are never given jobs, and these checks are skipped with that reason): after {@code init} the
 *       backend is {@code RUNNING} and has reported models (names with {@code /}, no duplicates) or node types,
 *       which {@code refreshModels} reports again unchanged; a job from {@link #generationParameters} reports
 *       progress (between 0 and 1, overall never going back) before its first image and delivers exactly
 *       {@code batchSize} images, each decoding as its media type says with the size asked for (previews
 *       decode too); a second job on the same backend works as well, and no image arrives after
 *       {@code generate} returned (the host drops it; late progress is harmless); a job made slow by
 *       {@link #slowGenerationSettings()} ends within {@link #cancellationPromptness()} of being cancelled (the
 *       {@code Cancellation}'s listeners run, then the generating thread is interrupted, as the host does), with
 *       the listeners themselves quick; and no thread is left behind after a job, or a cancelled one, and
 *       {@code shutdown}.</li>
 * </ul>
 * Each test makes its own contexts and closes them. Subclasses set up and close their stand-ins with the usual
 * JUnit 5 annotations. The thread checks take their snapshot inside each test, after the subclass's
 * {@code @BeforeEach}: threads a stand-in starts later (for instance one per request) count as the backend's,
 * unless they come from {@link StandInThreads} or {@link #mayOutliveShutdown} excuses them.
 */
public abstract class BackendTypeContractTest {
    /**
     * Returns a new instance of the type under test, as the host would make it (public no-argument
     * constructor).
     *
     * @return the type, never null
     */
    protected abstract BackendType backendType();

    /**
     * Returns settings with which {@code init()} succeeds, typically pointing at a stand-in the subclass started.
     * Without them the lifecycle checks only run {@code create} and {@code shutdown}, and the generation checks
     * are skipped.
     *
     * @return the settings, or empty (the default)
     */
    protected Optional<Settings> workingSettings() {
        return Optional.empty();
    }

    /**
     * Returns settings with which {@code init()} takes long (a stand-in that never answers, an engine that never
     * becomes ready), to check that {@code shutdown} cuts it short. The check fails when {@code init()} returns
     * within half a second with them, as it would then prove nothing. A type whose init can never take long says
     * why with {@link #whyInitIsNeverSlow()} instead.
     *
     * @return the settings, or empty (the default) when the type says why it has none
     */
    protected Optional<Settings> slowInitSettings() {
        return Optional.empty();
    }

    /**
     * Says why no settings make the type's {@code init()} take long (for example: it does no I/O), so the
     * shutdown-during-init check is skipped with that reason rather than failed. Types that talk to an engine
     * should give {@link #slowInitSettings()} instead.
     *
     * @return the reason, or null (the default) when {@link #slowInitSettings()} gives settings
     */
    protected String whyInitIsNeverSlow() {
        return null;
    }

    /**
     * Returns the parameters of the job the generation checks run on a backend started with the working settings.
     * By default: the first {@code Stable-Diffusion} model the backend reported, the prompt {@code a lighthouse at
     * dusk}, seed 1234, 4 steps, 96 by 64 pixels, a batch of 2, and the same values in {@code raw()} under
     * SwarmUI's parameter ids. Override when the engine needs other values (a model of another kind, a size it
     * supports); keep the job quick.
     *
     * @param context the running backend's context, with what it reported
     * @return the parameters
     */
    protected GenerationParameters generationParameters(TestingBackendContext context) {
        List<String> models = context.models().getOrDefault(ModelType.STABLE_DIFFUSION, List.of());
        if (models.isEmpty()) {
            Assertions.fail("the backend reported no Stable-Diffusion models (BackendContext.setModels), so the"
                    + " default job has no model: report them, or override generationParameters()");
        }
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put("prompt", "a lighthouse at dusk");
        raw.put("negativeprompt", "blurry");
        raw.put("model", models.get(0));
        raw.put("seed", "1234");
        raw.put("steps", "4");
        raw.put("cfgscale", "7");
        raw.put("width", "96");
        raw.put("height", "64");
        raw.put("batchsize", "2");
        return GenerationParameters.builder().model(models.get(0)).prompt("a lighthouse at dusk")
                .negativePrompt("blurry").seed(1234).steps(4).cfgScale(7).size(96, 64).batchSize(2).raw(raw).build();
    }

    /**
     * Returns settings with which a job takes long (an engine stand-in with a long time per step), to check that
     * cancelling a job ends it promptly. The check fails when the job ends within half a second, as it would then
     * prove nothing. A generator whose jobs can never take long says why with {@link #whyGenerationIsNeverSlow()}.
     *
     * @return the settings, or empty (the default) when the type says why it has none
     */
    protected Optional<Settings> slowGenerationSettings() {
        return Optional.empty();
    }

    /**
     * Returns the parameters of the slow job, for a backend started with {@link #slowGenerationSettings()}.
     *
     * @param context the running backend's context
     * @return by default {@link #generationParameters}
     */
    protected GenerationParameters slowGenerationParameters(TestingBackendContext context) {
        return generationParameters(context);
    }

    /**
     * Says why no settings make the type's jobs take long, so the cancellation check is skipped with that reason.
     *
     * @return the reason, or null (the default) when {@link #slowGenerationSettings()} gives settings
     */
    protected String whyGenerationIsNeverSlow() {
        return null;
    }

    /**
     * Makes the context each check runs the backend under; override to adjust it (e.g. a start timeout).
     *
     * @param settings the backend's settings
     * @return a new context; the base closes it
     */
    protected TestingBackendContext newContext(Settings settings) {
        return new TestingBackendContext(settings);
    }

    /**
     * Returns how long a backend may take to react: to end {@code init()} after {@code shutdown}, and to let its
     * threads end after {@code shutdown}. Generous, because test machines are slow and shared.
     *
     * @return 30 seconds by default
     */
    protected Duration promptness() {
        return Duration.ofSeconds(30);
    }

    /**
     * Returns how long a cancelled job may take to end, and its cancellation listeners to return. Clients expect
     * an interrupted generation to stop within a second or two; the default leaves room for a loaded machine.
     *
     * @return 5 seconds by default
     */
    protected Duration cancellationPromptness() {
        return Duration.ofSeconds(5);
    }

    /**
     * Returns how long the generation checks' quick job (from {@link #generationParameters}) may take.
     *
     * @return 2 minutes by default
     */
    protected Duration generationTimeout() {
        return Duration.ofMinutes(2);
    }

    /**
     * Tells whether a thread that started during a check may still be alive after shutdown. Allowed by default,
     * because neither the plugin nor the host controls them: the JDK HTTP client's selector thread
     * ({@code HttpClient-N-SelectorManager}, which ends only when the client is garbage-collected on JDK 17-20),
     * the JDK's {@code process reaper} pool, the common fork-join pool, the testkit stand-ins' own request threads,
     * and every thread of an author's stand-in made by {@link StandInThreads}. Override to allow more, and say
     * why.
     *
     * @param thread a live thread that did not exist before the check
     * @return true when it may outlive shutdown
     */
    protected boolean mayOutliveShutdown(Thread thread) {
        String name = thread.getName();
        return (name.startsWith("HttpClient-") && name.endsWith("-SelectorManager"))
                || name.equals("process reaper")
                || name.startsWith("ForkJoinPool.commonPool-worker-")
                || name.startsWith("comfyui-stand-in-")
                || name.equals("sd-webui-stand-in")
                || name.equals("old-swarm-stand-in")
                || name.equals("stalling-server")
                || StandInThreads.owns(thread);
    }

    @Test
    void typeIdAndDescriptionFollowTheRules() {
        new TypeChecks(this).idAndDescriptionFollowTheRules();
    }

    @Test
    void settingsSchemaIsWellFormed() {
        new TypeChecks(this).schemaIsWellFormed();
    }

    @Test
    void defaultSettingsAreValid() {
        new TypeChecks(this).defaultsAreValid();
    }

    @Test
    void secretsNeverShowInToString() {
        new TypeChecks(this).secretsNeverShowInToString();
    }

    @Test
    void createReportsNothingAndShutdownIsIdempotentWithoutInit() throws Exception {
        new LifecycleChecks(this).createReportsNothingAndShutdownIsIdempotent();
    }

    @Test
    void initSucceedsFreesMemoryAndShutsDownTwice() throws Exception {
        new LifecycleChecks(this).initSucceedsFreesMemoryAndShutsDownTwice();
    }

    @Test
    void shutdownWhileInitRunsEndsInitPromptly() throws Exception {
        new LifecycleChecks(this).shutdownWhileInitRunsEndsInitPromptly();
    }

    @Test
    void noThreadIsLeftBehindAfterShutdown() throws Exception {
        new LifecycleChecks(this).noThreadIsLeftBehindAfterShutdown();
    }

    @Test
    void aGeneratorReportsWhatItCanBeGivenJobsFor() throws Exception {
        new GenerationChecks(this).reportsWhatItCanBeGivenJobsFor();
    }

    @Test
    void generateReportsProgressThenImages() throws Exception {
        new GenerationChecks(this).reportsProgressThenImages();
    }

    @Test
    void aSecondJobRunsAndLateOutputIsHarmless() throws Exception {
        new GenerationChecks(this).runsASecondJobAndLateOutputIsHarmless();
    }

    @Test
    void cancellingAJobEndsItPromptly() throws Exception {
        new GenerationChecks(this).cancellingAJobEndsItPromptly();
    }

    @Test
    void noThreadIsLeftBehindAfterGeneratingAndShutdown() throws Exception {
        new GenerationChecks(this).noThreadIsLeftBehindAfterGenerating();
    }
}
