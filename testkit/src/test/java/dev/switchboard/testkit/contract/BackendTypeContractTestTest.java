package dev.switchboard.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.api.Backend;
import dev.switchboard.api.BackendContext;
import dev.switchboard.api.BackendStatus;
import dev.switchboard.api.BackendType;
import dev.switchboard.api.generation.GenerationJob;
import dev.switchboard.api.generation.GenerationOutput;
import dev.switchboard.api.generation.ImageGenerator;
import dev.switchboard.api.generation.ModelType;
import dev.switchboard.api.settings.SettingDefinition;
import dev.switchboard.api.settings.SettingType;
import dev.switchboard.api.settings.Settings;
import dev.switchboard.api.settings.SettingsSchema;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/** The contract base passes a well-behaved type and catches each kind of misbehaviour it promises to catch. */
final class BackendTypeContractTestTest {
    private static final String SLOW_JOBS = "slow-jobs";
    private static final SettingsSchema SCHEMA = SettingsSchema.of(
            SettingDefinition.builder("Token", SettingType.TEXT).secret().build());

    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void releaseStrayThreads() {
        release.countDown();
    }

    @Test
    void aWellBehavedTypePassesEveryCheck() throws Exception {
        Contract contract = new Contract("well_behaved", context -> new PatientBackend(context));

        contract.typeIdAndDescriptionFollowTheRules();
        contract.settingsSchemaIsWellFormed();
        contract.defaultSettingsAreValid();
        contract.secretsNeverShowInToString();
        contract.createReportsNothingAndShutdownIsIdempotentWithoutInit();
        contract.initSucceedsFreesMemoryAndShutsDownTwice();
        contract.shutdownWhileInitRunsEndsInitPromptly();
        contract.noThreadIsLeftBehindAfterShutdown();
    }

    @Test
    void catchesAnInvalidTypeId() {
        Contract contract = new Contract("has space", context -> new QuietBackend());

        assertThatThrownBy(contract::typeIdAndDescriptionFollowTheRules).hasMessageContaining("type id 'has space'");
    }

    @Test
    void catchesABackendThatSetsAHostOwnedStatusOnItsOwnThread() {
        Contract contract = new Contract("sets_errored", context -> new QuietBackend() {
            @Override
            public void init() throws Exception {
                Thread thread = new Thread(() -> {
                    try {
                        context.setStatus(BackendStatus.ERRORED, "gave up");
                    } catch (IllegalArgumentException swallowed) {
                        // A careless backend hides the refusal; the contract still sees the attempt.
                    }
                });
                thread.start();
                thread.join();
            }
        });

        assertThatThrownBy(contract::initSucceedsFreesMemoryAndShutsDownTwice)
                .hasMessageContaining("host-owned statuses [ERRORED]");
    }

    @Test
    void catchesAnInitThatIgnoresShutdown() {
        Contract contract = new Contract("stubborn", context -> new QuietBackend() {
            @Override
            public void init() {
                while (release.getCount() > 0) {
                    Thread.interrupted();
                    Thread.onSpinWait();
                }
            }
        });

        assertThatThrownBy(contract::shutdownWhileInitRunsEndsInitPromptly)
                .hasMessageContaining("init() did not return within PT1S after shutdown()");
    }

    @Test
    void catchesSlowInitSettingsThatAreNotSlow() {
        Contract contract = new Contract("hasty", context -> new QuietBackend());

        assertThatThrownBy(contract::shutdownWhileInitRunsEndsInitPromptly)
                .hasMessageContaining("init() returned within 500 ms with slowInitSettings()");
    }

    @Test
    void aTypeWithoutSlowInitSettingsMustSayWhy() {
        Contract silent = new Contract("silent", context -> new QuietBackend(), false, null);
        assertThatThrownBy(silent::shutdownWhileInitRunsEndsInitPromptly)
                .hasMessageContaining("override slowInitSettings()");

        Contract explained = new Contract("explained", context -> new QuietBackend(), false, "it does no I/O");
        assertThatThrownBy(explained::shutdownWhileInitRunsEndsInitPromptly)
                .isInstanceOf(TestAbortedException.class).hasMessageContaining("it does no I/O");
    }

    @Test
    void catchesAThreadLeftBehind() {
        Contract contract = new Contract("leaky", context -> new QuietBackend() {
            @Override
            public void init() {
                Thread monitor = new Thread(() -> {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "leaky-monitor");
                monitor.setDaemon(true);
                monitor.start();
            }
        });

        assertThatThrownBy(contract::noThreadIsLeftBehindAfterShutdown).hasMessageContaining("leaky-monitor");
    }

    @Test
    void aWellBehavedGeneratorPassesEveryCheck() throws Exception {
        Contract contract = new Contract("painter", Painter::new);

        contract.initSucceedsFreesMemoryAndShutsDownTwice();
        contract.noThreadIsLeftBehindAfterShutdown();
        contract.aGeneratorReportsWhatItCanBeGivenJobsFor();
        contract.generateReportsProgressThenImages();
        contract.aSecondJobRunsAndLateOutputIsHarmless();
        contract.cancellingAJobEndsItPromptly();
        contract.noThreadIsLeftBehindAfterGeneratingAndShutdown();
    }

    @Test
    void aTypeThatDoesNotGenerateSkipsTheGenerationChecksSayingWhy() {
        // As a plugin built against the contract before generation existed: it still passes everything else.
        Contract contract = new Contract("old_style", context -> new QuietBackend(), true, null);

        for (ThrowingCheck check : List.<ThrowingCheck>of(contract::aGeneratorReportsWhatItCanBeGivenJobsFor,
                contract::generateReportsProgressThenImages, contract::aSecondJobRunsAndLateOutputIsHarmless,
                contract::cancellingAJobEndsItPromptly, contract::noThreadIsLeftBehindAfterGeneratingAndShutdown)) {
            assertThatThrownBy(check::run).isInstanceOf(TestAbortedException.class)
                    .hasMessageContaining("does not implement ImageGenerator: the host never gives its backends jobs");
        }
    }

    @Test
    void catchesAGeneratorThatIgnoresCancellation() {
        Contract contract = new Contract("deaf", context -> new Painter(context) {
            @Override
            void waitForCancellation(GenerationJob job) {
                while (release.getCount() > 0) {
                    Thread.interrupted();
                    Thread.onSpinWait();
                }
            }
        });

        assertThatThrownBy(contract::cancellingAJobEndsItPromptly)
                .hasMessageContaining("generate() did not end within PT1S after its job was cancelled");
    }

    @Test
    void catchesACancellationListenerThatBlocksTheHost() {
        Contract contract = new Contract("blocking_listener", context -> new Painter(context) {
            @Override
            void waitForCancellation(GenerationJob job) throws InterruptedException {
                // Waits for the engine's answer inside the listener, on the host's thread.
                job.cancellation().onCancel(() -> awaitQuietly(release));
                super.waitForCancellation(job);
            }
        });

        assertThatThrownBy(contract::cancellingAJobEndsItPromptly)
                .hasMessageContaining("the listeners registered with Cancellation.onCancel still ran PT1S");
    }

    @Test
    void catchesSlowGenerationSettingsThatAreNotSlow() {
        Contract contract = new Contract("hasty_painter", context -> new Painter(context) {
            @Override
            void waitForCancellation(GenerationJob job) {
            }
        });

        assertThatThrownBy(contract::cancellingAJobEndsItPromptly)
                .hasMessageContaining("generate() ended within 500 ms with slowGenerationSettings()");
    }

    @Test
    void aGeneratorWithoutSlowGenerationSettingsMustSayWhy() {
        Contract silent = new Contract("silent_painter", Painter::new).withoutSlowGeneration(null);
        assertThatThrownBy(silent::cancellingAJobEndsItPromptly).hasMessageContaining("override slowGenerationSettings()");

        Contract explained = new Contract("instant_painter", Painter::new).withoutSlowGeneration("it draws at once");
        assertThatThrownBy(explained::cancellingAJobEndsItPromptly)
                .isInstanceOf(TestAbortedException.class).hasMessageContaining("it draws at once");
    }

    @Test
    void catchesImagesThatAreNotWhatWasAskedFor() {
        assertThatThrownBy(painting("one_short", (job, output) -> output.image(png(96, 64), "image/png"))
                ::generateReportsProgressThenImages).hasMessageContaining("delivered 1 images for a batch size of 2");
        assertThatThrownBy(painting("mislabelled", (job, output) -> {
            output.image(png(96, 64), "image/png");
            output.image(encode(new BufferedImage(96, 64, BufferedImage.TYPE_INT_RGB), "jpeg"), "image/png");
        })::generateReportsProgressThenImages)
                .hasMessageContaining("image 2 is said to be image/png but its bytes do not start like one");
        assertThatThrownBy(painting("square", (job, output) -> {
            output.image(png(64, 64), "image/png");
            output.image(png(64, 64), "image/png");
        })::generateReportsProgressThenImages).hasMessageContaining("image 1 is 64x64, but 96x64 was asked for");
    }

    @Test
    void catchesProgressThatIsMissingOrGoesBack() {
        assertThatThrownBy(new Contract("no_progress", context -> new Painter(context) {
            @Override
            void reportProgress(GenerationJob job, GenerationOutput output) {
            }
        })::generateReportsProgressThenImages).hasMessageContaining("reported no progress before the first image");
        assertThatThrownBy(new Contract("backwards", context -> new Painter(context) {
            @Override
            void reportProgress(GenerationJob job, GenerationOutput output) {
                output.progress(0.5, 0.5);
                output.progress(0.25, 1);
            }
        })::generateReportsProgressThenImages).hasMessageContaining("overall progress went back from 0.5 to 0.25");
        assertThatThrownBy(new Contract("percent", context -> new Painter(context) {
            @Override
            void reportProgress(GenerationJob job, GenerationOutput output) {
                output.progress(50, 100);
            }
        })::generateReportsProgressThenImages).hasMessageContaining("progress must be between 0 and 1");
    }

    @Test
    void catchesAnImageDeliveredAfterGenerateReturned() {
        CountDownLatch secondJobStarted = new CountDownLatch(1);
        CountDownLatch lateImageSent = new CountDownLatch(1);
        Contract contract = new Contract("late", context -> new Painter(context) {
            private GenerationOutput firstOutput;

            @Override
            public void generate(GenerationJob job, GenerationOutput output) throws Exception {
                if (firstOutput == null) {
                    // The first job returns before its last image; a thread of the plugin delivers it later.
                    firstOutput = output;
                    reportProgress(job, output);
                    output.image(png(96, 64), "image/png");
                    Thread late = new Thread(() -> {
                        awaitQuietly(secondJobStarted);
                        firstOutput.image(png(96, 64), "image/png");
                        lateImageSent.countDown();
                    }, "late-image");
                    late.start();
                    return;
                }
                secondJobStarted.countDown();
                lateImageSent.await();
                super.generate(job, output);
            }
        });

        assertThatThrownBy(contract::aSecondJobRunsAndLateOutputIsHarmless)
                .hasMessageContaining("1 image(s) of the first job arrived after its generate() had returned");
    }

    @Test
    void catchesAGeneratorThatReportsNothingToBeGivenJobsFor() {
        assertThatThrownBy(new Contract("modelless", context -> new Painter(context) {
            @Override
            List<String> models() {
                return List.of();
            }
        })::aGeneratorReportsWhatItCanBeGivenJobsFor).hasMessageContaining("the backend reported no models");
        assertThatThrownBy(new Contract("windows_names", context -> new Painter(context) {
            @Override
            List<String> models() {
                return List.of("sdxl\\base.safetensors");
            }
        })::aGeneratorReportsWhatItCanBeGivenJobsFor).hasMessageContaining("must use '/' between folders");
    }

    @Test
    void catchesAThreadLeftBehindByAJob() {
        Contract contract = new Contract("leaky_painter", context -> new Painter(context) {
            @Override
            void reportProgress(GenerationJob job, GenerationOutput output) {
                Thread poller = new Thread(() -> awaitQuietly(release), "leaky-poller");
                poller.setDaemon(true);
                poller.start();
                super.reportProgress(job, output);
            }
        });

        assertThatThrownBy(contract::noThreadIsLeftBehindAfterGeneratingAndShutdown)
                .hasMessageContaining("after a job and shutdown(): leaky-poller");
    }

    @Test
    void excusesThreadsOfAStandInMadeByStandInThreads() throws Exception {
        Thread standIn = StandInThreads.factory("my-stand-in").newThread(() -> awaitQuietly(release));
        Contract contract = new Contract("with_stand_in", context -> new QuietBackend() {
            @Override
            public void init() {
                // As a stand-in that starts a thread for the backend's first request.
                standIn.start();
            }
        });

        contract.noThreadIsLeftBehindAfterShutdown();
        assertThat(standIn.isAlive()).isTrue();
        assertThat(StandInThreads.owns(standIn)).isTrue();
        assertThat(StandInThreads.owns(Thread.currentThread())).isFalse();
    }

    private Contract painting(String id, ThrowingJob images) {
        return new Contract(id, context -> new Painter(context) {
            @Override
            void paint(GenerationJob job, GenerationOutput output) throws Exception {
                images.run(job, output);
            }
        });
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static byte[] png(int width, int height) {
        return encode(new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB), "png");
    }

    private static byte[] encode(BufferedImage image, String format) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ImageIO.write(image, format, bytes);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private interface ThrowingCheck {
        void run() throws Exception;
    }

    private interface ThrowingJob {
        void run(GenerationJob job, GenerationOutput output) throws Exception;
    }

    /**
     * A generator that does it right: one model, progress per step, a preview, then the batch's images of the
     * requested size; with the token {@code slow-jobs} a job waits until cancelled.
     */
    private static class Painter implements Backend, ImageGenerator {
        private final BackendContext context;

        Painter(BackendContext context) {
            this.context = context;
        }

        @Override
        public void init() {
            context.setModels(Map.of(ModelType.STABLE_DIFFUSION, models()));
            context.setFeatures(Set.of());
        }

        List<String> models() {
            return List.of("sd/painter.safetensors");
        }

        @Override
        public void generate(GenerationJob job, GenerationOutput output) throws Exception {
            if (context.settings().getSecret("Token").reveal().equals(SLOW_JOBS)) {
                waitForCancellation(job);
                return;
            }
            reportProgress(job, output);
            output.preview(png(12, 8), "image/png");
            paint(job, output);
        }

        void reportProgress(GenerationJob job, GenerationOutput output) {
            int steps = job.parameters().steps();
            for (int step = 1; step <= steps; step++) {
                output.progress((double) step / steps, (double) step / steps);
            }
        }

        void paint(GenerationJob job, GenerationOutput output) throws Exception {
            for (int i = 0; i < job.parameters().batchSize(); i++) {
                output.image(png(job.parameters().width(), job.parameters().height()), "image/png");
            }
        }

        void waitForCancellation(GenerationJob job) throws InterruptedException {
            CountDownLatch cancelled = new CountDownLatch(1);
            job.cancellation().onCancel(cancelled::countDown);
            cancelled.await();
        }

        @Override
        public void shutdown() {
        }
    }

    /** Waits in init, when its settings say {@code slow}, until shut down. */
    private static final class PatientBackend implements Backend {
        private final BackendContext context;
        private final CountDownLatch shutdown = new CountDownLatch(1);

        PatientBackend(BackendContext context) {
            this.context = context;
        }

        @Override
        public void init() throws Exception {
            if (context.settings().getSecret("Token").reveal().equals("slow")) {
                shutdown.await();
            }
        }

        @Override
        public void shutdown() {
            shutdown.countDown();
        }
    }

    /** A backend that does nothing, correctly. */
    private static class QuietBackend implements Backend {
        @Override
        public void init() throws Exception {
        }

        @Override
        public void shutdown() {
        }
    }

    private static final class Contract extends BackendTypeContractTest {
        private final String id;
        private final Function<BackendContext, Backend> backends;
        private final boolean slowSettings;
        private final String whyNeverSlow;
        private boolean slowJobs = true;
        private String whyJobsAreNeverSlow;

        Contract(String id, Function<BackendContext, Backend> backends) {
            this(id, backends, true, null);
        }

        Contract(String id, Function<BackendContext, Backend> backends, boolean slowSettings, String whyNeverSlow) {
            this.id = id;
            this.backends = backends;
            this.slowSettings = slowSettings;
            this.whyNeverSlow = whyNeverSlow;
        }

        @Override
        protected Optional<Settings> slowInitSettings() {
            return slowSettings ? Optional.of(new Settings(SCHEMA, Map.of("Token", "slow"))) : Optional.empty();
        }

        @Override
        protected String whyInitIsNeverSlow() {
            return whyNeverSlow;
        }

        /** Gives no slow generation settings, with this reason (or none). */
        Contract withoutSlowGeneration(String reason) {
            slowJobs = false;
            whyJobsAreNeverSlow = reason;
            return this;
        }

        @Override
        protected Optional<Settings> slowGenerationSettings() {
            return slowJobs ? Optional.of(new Settings(SCHEMA, Map.of("Token", SLOW_JOBS))) : Optional.empty();
        }

        @Override
        protected String whyGenerationIsNeverSlow() {
            return whyJobsAreNeverSlow;
        }

        @Override
        protected Duration cancellationPromptness() {
            return Duration.ofSeconds(1);
        }

        @Override
        protected BackendType backendType() {
            return new BackendType() {
                @Override
                public String id() {
                    return id;
                }

                @Override
                public String displayName() {
                    return "Contract subject";
                }

                @Override
                public String description() {
                    return "A type made up to test the contract test.";
                }

                @Override
                public SettingsSchema settingsSchema() {
                    return SCHEMA;
                }

                @Override
                public Backend create(BackendContext context) {
                    return backends.apply(context);
                }
            };
        }

        @Override
        protected Optional<Settings> workingSettings() {
            return Optional.of(SCHEMA.defaults());
        }

        @Override
        protected Duration promptness() {
            return Duration.ofSeconds(1);
        }
    }
}
