package dev.switchboard.testkit.contract;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.api.Backend;
import dev.switchboard.api.BackendContext;
import dev.switchboard.api.BackendStatus;
import dev.switchboard.api.BackendType;
import dev.switchboard.api.settings.SettingDefinition;
import dev.switchboard.api.settings.SettingType;
import dev.switchboard.api.settings.Settings;
import dev.switchboard.api.settings.SettingsSchema;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/** The contract base passes a well-behaved type and catches each kind of misbehaviour it promises to catch. */
final class BackendTypeContractTestTest {
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
