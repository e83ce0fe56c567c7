package dev.switchboard.testkit.contract;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.api.Backend;
import dev.switchboard.api.BackendStatus;
import dev.switchboard.api.BackendType;
import dev.switchboard.api.settings.SettingDefinition;
import dev.switchboard.api.settings.SettingIssue;
import dev.switchboard.api.settings.SettingType;
import dev.switchboard.api.settings.Settings;
import dev.switchboard.api.settings.SettingsSchema;
import dev.switchboard.testkit.backends.StatusChange;
import dev.switchboard.testkit.backends.TestingBackendContext;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
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
 *       once shutdown returned (waiting up to {@link #promptness()}), except threads owned by the JDK or the
 *       testkit's stand-ins (see {@link #mayOutliveShutdown(Thread)}).</li>
 * </ul>
 * Each test makes its own contexts and closes them. Subclasses set up and close their stand-ins with the usual
 * JUnit 5 annotations; the base takes its thread snapshot inside each test, after the subclass's set-up.
 */
public abstract class BackendTypeContractTest {
    /** The type id syntax the server accepts. */
    private static final Pattern TYPE_ID = Pattern.compile("[A-Za-z0-9_.-]+");

    /**
     * Returns a new instance of the type under test, as the host would make it (public no-argument
     * constructor).
     *
     * @return the type, never null
     */
    protected abstract BackendType backendType();

    /**
     * Returns settings with which {@code init()} succeeds, typically pointing at a stand-in the subclass started.
     * Without them the lifecycle checks only run {@code create} and {@code shutdown}.
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
     * Tells whether a thread that started during the cycle may still be alive after shutdown. Allowed by
     * default, because neither the plugin nor the host controls them: the JDK HTTP client's selector thread
     * ({@code HttpClient-N-SelectorManager}, which ends only when the client is garbage-collected on JDK 17-20),
     * the JDK's {@code process reaper} pool, the common fork-join pool, and the testkit stand-ins' own
     * request threads. Override to allow more, and say why.
     *
     * @param thread a live thread that did not exist before the cycle
     * @return true when it may outlive shutdown
     */
    protected boolean mayOutliveShutdown(Thread thread) {
        String name = thread.getName();
        return (name.startsWith("HttpClient-") && name.endsWith("-SelectorManager"))
                || name.equals("process reaper")
                || name.startsWith("ForkJoinPool.commonPool-worker-")
                || name.startsWith("comfyui-stand-in-")
                || name.equals("sd-webui-stand-in")
                || name.equals("old-swarm-stand-in");
    }

    @Test
    void typeIdAndDescriptionFollowTheRules() {
        BackendType type = backendType();
        String id = type.id();
        assertNotNull(id, "id() returned null");
        assertTrue(TYPE_ID.matcher(id).matches(),
                () -> "type id '" + id + "' may only contain letters, digits, '_', '-' and '.'");
        assertNotBlank(type.displayName(), "displayName()");
        assertNotBlank(type.description(), "description()");
        assertNotNull(type.initMode(), "initMode() returned null");
        Duration timeout = type.initTimeout();
        assertNotNull(timeout, "initTimeout() returned null");
        assertTrue(!timeout.isNegative() && !timeout.isZero(), () -> "initTimeout() must be positive: " + timeout);
        BackendType again = backendType();
        assertEquals(id, again.id(), "id() must be constant");
        assertEquals(type.displayName(), again.displayName(), "displayName() must be constant");
        assertEquals(type.isStandard(), again.isStandard(), "isStandard() must be constant");
    }

    @Test
    void settingsSchemaIsWellFormed() {
        SettingsSchema schema = backendType().settingsSchema();
        assertNotNull(schema, "settingsSchema() returned null");
        Set<String> names = new HashSet<>();
        for (SettingDefinition definition : schema.definitions()) {
            String name = definition.name();
            assertTrue(names.add(name), () -> "setting name '" + name + "' is used twice");
            assertNotNull(definition.description(), () -> "setting " + name + " has a null description");
            if (definition.type() == SettingType.DROPDOWN) {
                List<String> values = definition.values();
                assertFalse(values.isEmpty(), () -> "dropdown " + name + " has no values");
                assertEquals(values.size(), Set.copyOf(values).size(), () -> "dropdown " + name
                        + " repeats a value: " + values);
                assertEquals(values.size(), definition.valueNames().size(),
                        () -> "dropdown " + name + " needs one name per value");
                definition.valueNames().forEach(valueName -> assertNotBlank(valueName,
                        "a value name of dropdown " + name));
            }
            if (definition.min() != null && definition.max() != null) {
                assertTrue(definition.min() <= definition.max(), () -> "setting " + name + " has min > max");
            }
        }
    }

    @Test
    void defaultSettingsAreValid() {
        BackendType type = backendType();
        Settings defaults = type.settingsSchema().defaults();
        Settings rebuilt = assertDoesNotThrow(() -> new Settings(defaults.schema(), defaults.values()),
                "the defaults do not fit their settings");
        List<SettingIssue> issues = type.validate(rebuilt);
        assertNotNull(issues, "validate() returned null");
        assertTrue(issues.isEmpty(), () -> "validate() refuses the default settings: " + issues);
    }

    @Test
    void secretsNeverShowInToString() {
        SettingsSchema schema = backendType().settingsSchema();
        List<SettingDefinition> secrets = schema.definitions().stream().filter(SettingDefinition::isSecret).toList();
        assumeTrue(!secrets.isEmpty(), "the type has no secret settings");
        Map<String, Object> values = new LinkedHashMap<>(schema.defaults().values());
        String secret = "contract-secret-" + UUID.randomUUID();
        secrets.forEach(definition -> values.put(definition.name(), secret));
        Settings settings = new Settings(schema, values);
        assertFalse(settings.toString().contains(secret), "Settings.toString() shows a secret");
        for (SettingDefinition definition : secrets) {
            assertFalse(settings.getSecret(definition.name()).toString().contains(secret),
                    () -> "Secret.toString() shows the value of " + definition.name());
            assertEquals(secret, settings.getSecret(definition.name()).reveal());
        }
    }

    @Test
    void createReportsNothingAndShutdownIsIdempotentWithoutInit() throws Exception {
        BackendType type = backendType();
        try (TestingBackendContext context = newContext(type.settingsSchema().defaults())) {
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

    @Test
    void initSucceedsFreesMemoryAndShutsDownTwice() throws Exception {
        Optional<Settings> settings = workingSettings();
        assumeTrue(settings.isPresent(), "no working settings given");
        BackendType type = backendType();
        try (TestingBackendContext context = newContext(settings.get())) {
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

    @Test
    void shutdownWhileInitRunsEndsInitPromptly() throws Exception {
        Optional<Settings> settings = slowInitSettings();
        if (settings.isEmpty()) {
            String reason = whyInitIsNeverSlow();
            assertNotNull(reason, "override slowInitSettings() with settings that make init() take long (a stand-in"
                    + " that never answers), or say in whyInitIsNeverSlow() why the type has none");
            assumeTrue(false, reason);
        }
        BackendType type = backendType();
        try (TestingBackendContext context = newContext(settings.get())) {
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
            initThread.join(500);
            assertTrue(initThread.isAlive(), "init() returned within 500 ms with slowInitSettings(): they must make"
                    + " init() take long, or this check proves nothing");
            backend.shutdown();
            initThread.interrupt();
            initThread.join(promptness().toMillis());
            assertFalse(initThread.isAlive(), "init() did not return within " + promptness() + " after shutdown()");
            backend.shutdown();
            assertOnlyLegalStatuses(context, recorder);
        }
    }

    @Test
    void noThreadIsLeftBehindAfterShutdown() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        BackendType type = backendType();
        Settings settings = workingSettings().orElseGet(() -> type.settingsSchema().defaults());
        try (TestingBackendContext context = newContext(settings)) {
            Backend backend = type.create(new StatusRuleRecorder(context));
            try {
                if (workingSettings().isPresent()) {
                    backend.init();
                    if (context.status() == BackendStatus.RUNNING) {
                        backend.freeMemory(true);
                    }
                }
            } finally {
                backend.shutdown();
            }
        }
        long deadline = System.nanoTime() + promptness().toNanos();
        Set<Thread> leftovers = leftovers(before);
        while (!leftovers.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            leftovers = leftovers(before);
        }
        Set<Thread> remaining = leftovers;
        assertTrue(remaining.isEmpty(), () -> "threads still alive " + promptness() + " after shutdown(): "
                + remaining.stream().map(Thread::getName).sorted().collect(Collectors.joining(", ")));
    }

    private Set<Thread> leftovers(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> !before.contains(thread))
                .filter(Thread::isAlive)
                .filter(thread -> !mayOutliveShutdown(thread))
                .collect(Collectors.toSet());
    }

    private static void assertOnlyLegalStatuses(TestingBackendContext context, StatusRuleRecorder recorder) {
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

    private static void assertNotBlank(String text, String what) {
        assertNotNull(text, what + " is null");
        assertFalse(text.isBlank(), what + " is blank");
    }
}
