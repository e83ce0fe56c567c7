package dev.switchboard.testkit.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.api.Backend;
import dev.switchboard.api.BackendStatus;
import dev.switchboard.api.BackendType;
import dev.switchboard.api.settings.Settings;
import dev.switchboard.testkit.backends.StatusChange;
import dev.switchboard.testkit.backends.TestingBackendContext;
import java.util.Optional;

/** The checks of {@link BackendTypeContractTest} on a backend's life: create, init, freeMemory, shutdown, threads. */
final class LifecycleChecks {
    /** How long slow init settings must keep {@code init()} running before the check believes them. */
    private static final long SLOW_PROOF_MILLIS = 500;

    private final BackendTypeContractTest contract;

    LifecycleChecks(BackendTypeContractTest contract) {
        this.contract = contract;
    }

    void createReportsNothingAndShutdownIsIdempotent() throws Exception {
        BackendType type = contract.backendType();
        try (TestingBackendContext context = contract.newContext(type.settingsSchema().defaults())) {
            StatusRuleRecorder recorder = new StatusRuleRecorder(context);
            Backend backend = type.create(recorder);
            assertNotNull(backend, "create() returned null");
            assertEquals(BackendStatus.WAITING, context.status(), "create() must not report a status");
            backend.shutdown();
            backend.shutdown();
            assertTrue(recorder.illegalAttempts().isEmpty(),
                    () -> "the backend set host-owned statuses " + recorder.illegalAttempts());
        }
    }

    void initSucceedsFreesMemoryAndShutsDownTwice() throws Exception {
        Optional<Settings> settings = contract.workingSettings();
        assumeTrue(settings.isPresent(), "no working settings given");
        BackendType type = contract.backendType();
        try (TestingBackendContext context = contract.newContext(settings.get())) {
            StatusRuleRecorder recorder = new StatusRuleRecorder(context);
            Backend backend = type.create(recorder);
            try {
                backend.init();
                assertNotEquals(BackendStatus.ERRORED, context.status(),
                        () -> "init() with the working settings failed: " + context.statusMessage());
                if (context.status() == BackendStatus.RUNNING || context.status() == BackendStatus.LOADING
                        || context.status() == BackendStatus.WAITING) {
                    backend.freeMemory(false);
                    backend.freeMemory(true);
                }
            } finally {
                backend.shutdown();
                backend.shutdown();
            }
            assertOnlyLegalStatuses(context, recorder);
        }
    }

    void shutdownWhileInitRunsEndsInitPromptly() throws Exception {
        Optional<Settings> settings = contract.slowInitSettings();
        if (settings.isEmpty()) {
            String reason = contract.whyInitIsNeverSlow();
            assertNotNull(reason, "override slowInitSettings() with settings that make init() take long (a stand-in"
                    + " that never answers), or say in whyInitIsNeverSlow() why the type has none");
            assumeTrue(false, reason);
        }
        BackendType type = contract.backendType();
        try (TestingBackendContext context = contract.newContext(settings.get())) {
            StatusRuleRecorder recorder = new StatusRuleRecorder(context);
            Backend backend = type.create(recorder);
            // Throwing is an allowed way for init to end after a shutdown, so the thread just ends either way.
            Thread initThread = new Thread(() -> {
                try {
                    backend.init();
                } catch (Exception e) {
                    context.logger().debug("init() ended with {} after shutdown()", e.toString());
                }
            }, "contract-init");
            initThread.setDaemon(true);
            initThread.start();
            // Let init get going before cutting it short (any moment is legal; this makes the check meaningful).
            initThread.join(SLOW_PROOF_MILLIS);
            assertTrue(initThread.isAlive(), "init() returned within " + SLOW_PROOF_MILLIS + " ms with"
                    + " slowInitSettings(): they must make init() take long, or this check proves nothing");
            backend.shutdown();
            initThread.interrupt();
            initThread.join(contract.promptness().toMillis());
            assertFalse(initThread.isAlive(), "init() did not return within " + contract.promptness()
                    + " after shutdown()");
            backend.shutdown();
            assertOnlyLegalStatuses(context, recorder);
        }
    }

    void noThreadIsLeftBehindAfterShutdown() throws Exception {
        ThreadSnapshot snapshot = ThreadSnapshot.take();
        BackendType type = contract.backendType();
        Optional<Settings> working = contract.workingSettings();
        try (TestingBackendContext context = contract.newContext(working.orElseGet(() -> type.settingsSchema().defaults()))) {
            Backend backend = type.create(new StatusRuleRecorder(context));
            try {
                if (working.isPresent()) {
                    backend.init();
                    if (context.status() == BackendStatus.RUNNING) {
                        backend.freeMemory(true);
                    }
                }
            } finally {
                backend.shutdown();
            }
        }
        String leftovers = snapshot.awaitLeftovers(contract.promptness(), contract::mayOutliveShutdown);
        assertTrue(leftovers.isEmpty(), () -> "threads still alive " + contract.promptness() + " after shutdown(): "
                + leftovers);
    }

    static void assertOnlyLegalStatuses(TestingBackendContext context, StatusRuleRecorder recorder) {
        assertTrue(recorder.illegalAttempts().isEmpty(),
                () -> "the backend tried to set host-owned statuses " + recorder.illegalAttempts()
                        + " (use BackendContext.fail or throw from init)");
        for (StatusChange change : context.statusHistory()) {
            if (change.status() == BackendStatus.ERRORED) {
                // Only BackendContext.fail records ERRORED in the testing context, and that is legal.
                continue;
            }
            assertNotEquals(BackendStatus.WAITING, change.status(), "the backend set WAITING");
        }
    }
}
