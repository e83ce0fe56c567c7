package dev.switchboard.plugins.comfyui.selfstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.switchboard.api.BackendStatus;
import dev.switchboard.api.settings.Settings;
import dev.switchboard.plugins.comfyui.connection.ComfyUiTimeouts;
import dev.switchboard.testkit.backends.StatusChange;
import dev.switchboard.testkit.backends.TestingBackendContext;
import dev.switchboard.testkit.comfyui.ComfyUiStandIn;
import dev.switchboard.testkit.comfyui.FakeComfyUiScript;
import dev.switchboard.testkit.remote.StallingServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Launches the fake ComfyUI {@code main.py} as a real child process under a testing context. */
final class ComfyUiSelfStartBackendTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final SelfStartTuning FAST = new SelfStartTuning(Duration.ofMillis(100), Duration.ofMillis(400),
            3, Duration.ofMinutes(1), Duration.ofSeconds(2), 5, Duration.ofMillis(100), Duration.ofSeconds(10));
    private static final Pattern RUNNING = Pattern.compile("Running: ComfyUI on port (\\d+) \\(pid (\\d+)\\)");

    @TempDir
    Path comfy;

    private final List<TestingBackendContext> contexts = new ArrayList<>();
    private final List<ComfyUiSelfStartBackend> backends = new ArrayList<>();
    private final Map<String, String> serverEnvironment = new HashMap<>(System.getenv());

    @AfterEach
    void tearDown() {
        backends.forEach(ComfyUiSelfStartBackend::shutdown);
        contexts.forEach(TestingBackendContext::close);
    }

    @Test
    void launchesComfyUiAndRunsOnTheChosenPort() throws Exception {
        Path report = comfy.resolve("report.json");
        serverEnvironment.put("SWITCHBOARD_TEST_SECRET", "hunter2");
        TestingBackendContext context = context(Map.of("ExtraArgs", "--report '" + report + "'", "GPU_ID", "0,1",
                "OverQueue", 2L));
        ComfyUiSelfStartBackend backend = backend(context, PortSource.ephemeral());

        backend.init();

        assertThat(context.status()).isEqualTo(BackendStatus.RUNNING);
        Matcher running = RUNNING.matcher(context.statusMessage());
        assertThat(running.matches()).as(context.statusMessage()).isTrue();
        assertThat(context.maxUsages()).isEqualTo(3);
        // The fake's SwarmKSampler would make SwarmUI advertise variation_seed; the generator does not implement it.
        assertThat(context.features()).containsExactlyInAnyOrder("comfyui", "folderslash");
        assertThat(backend.objectInfo().nodeTypes()).contains("CheckpointLoaderSimple", "KSampler");
        JsonObject seen = JsonParser.parseString(Files.readString(report)).getAsJsonObject();
        assertThat(seen.get("pid").getAsLong()).isEqualTo(Long.parseLong(running.group(2)));
        assertThat(seen.get("cwd").getAsString()).isEqualTo(comfy.toRealPath().toString());
        assertThat(seen.get("argv").toString()).contains("\"--port\",\"" + running.group(1) + "\"",
                "\"--preview-method\",\"latent2rgb\"", "\"--front-end-version\",\"Comfy-Org/ComfyUI_frontend@v");
        JsonObject env = seen.getAsJsonObject("env");
        assertThat(env.has("SWITCHBOARD_TEST_SECRET")).isFalse();
        assertThat(env.get("CUDA_VISIBLE_DEVICES").getAsString()).isEqualTo("0,1");
        assertThat(env.get("PYTHONUNBUFFERED").getAsString()).isEqualTo("1");
        assertThat(env.keySet()).allMatch(name -> !name.contains("SECRET"));
        await().atMost(PATIENCE).until(() -> context.output().stream().anyMatch(l -> l.contains("To see the GUI")));
        assertThat(ProcessRecord.read(context.workDirectory())).hasValueSatisfying(
                entry -> assertThat(entry.pid()).isEqualTo(seen.get("pid").getAsLong()));

        backend.shutdown();

        assertThat(ProcessHandle.of(seen.get("pid").getAsLong()).map(ProcessHandle::isAlive)).isNotEqualTo(
                java.util.Optional.of(true));
        assertThat(ProcessRecord.read(context.workDirectory())).isEmpty();
        awaitNoComfyThreads();
    }

    @Test
    void anExitDuringStartUpIsErroredWithTheExitCodeAndLastOutput() throws Exception {
        TestingBackendContext context = context(Map.of("ExtraArgs", "--mode exit"));
        ComfyUiSelfStartBackend backend = backend(context, PortSource.ephemeral());

        backend.init();

        assertThat(context.status()).isEqualTo(BackendStatus.ERRORED);
        assertThat(context.statusMessage()).startsWith("ComfyUI exited with code 1 during start-up. Last output: ")
                .contains("RuntimeError: fake start-up failure");
        assertThat(context.output()).contains("RuntimeError: fake start-up failure");
    }

    @Test
    void aComfyUiThatNeverListensIsErroredAtTheStartTimeoutAndStopped() throws Exception {
        Path report = comfy.resolve("report.json");
        TestingBackendContext context = context(Map.of("ExtraArgs", "--mode never-ready --report " + report));
        context.setStartTimeout(Duration.ofSeconds(2));
        ComfyUiSelfStartBackend backend = backend(context, PortSource.ephemeral());

        backend.init();

        assertThat(context.status()).isEqualTo(BackendStatus.ERRORED);
        assertThat(context.statusMessage()).startsWith("ComfyUI did not become ready within 2 s (port ")
                .contains("Stopped it. Last output: fake ComfyUI starting, mode never-ready");
        long pid = JsonParser.parseString(Files.readString(report)).getAsJsonObject().get("pid").getAsLong();
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
    }

    @Test
    void aHostileChildAndItsGrandchildAreGoneAfterShutdown() throws Exception {
        Path report = comfy.resolve("report.json");
        TestingBackendContext context = context(Map.of("ExtraArgs", "--mode hostile --report " + report));
        ComfyUiSelfStartBackend backend = backend(context, PortSource.ephemeral());
        backend.init();
        assertThat(context.status()).isEqualTo(BackendStatus.RUNNING);
        JsonObject seen = JsonParser.parseString(Files.readString(report)).getAsJsonObject();
        long child = seen.get("pid").getAsLong();
        long grandchild = seen.get("grandchild").getAsLong();
        assertThat(ProcessHandle.of(grandchild).map(ProcessHandle::isAlive)).contains(true);

        long started = System.nanoTime();
        backend.shutdown();
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        System.out.printf("hostile tree stopped in %d ms with %s per signal%n", took.toMillis(), FAST.stopStep());

        assertThat(ProcessHandle.of(child).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(ProcessHandle.of(grandchild).filter(ProcessHandle::isAlive)).isEmpty();
        // SIGINT and SIGTERM are ignored: two 2 s steps, then SIGKILL.
        assertThat(took).isBetween(Duration.ofSeconds(3), Duration.ofSeconds(10));
        awaitNoComfyThreads();
    }

    @Test
    void anAddressInUseErrorIsRetriedOnAnotherPort() throws Exception {
        Path marker = comfy.resolve("first-run-done");
        TestingBackendContext context = context(Map.of("ExtraArgs", "--mode busy-once --marker " + marker));
        ComfyUiSelfStartBackend backend = backend(context, PortSource.ephemeral());

        backend.init();

        assertThat(context.status()).isEqualTo(BackendStatus.RUNNING);
        assertThat(context.output()).anyMatch(line -> line.contains("[Errno 98]"))
                .anyMatch(line -> line.matches("\\[switchboard\\] port \\d+ was already in use; trying another port\\."));
        List<String> startingPorts = context.statusHistory().stream().map(StatusChange::message)
                .filter(m -> m.startsWith("Starting ComfyUI on port")).toList();
        assertThat(startingPorts).hasSize(2);
        assertThat(startingPorts.get(0)).isNotEqualTo(startingPorts.get(1));
    }

    @Test
    void aForeignListenerOnThePortNeverMakesTheBackendRunning() throws Exception {
        try (ComfyUiStandIn foreign = ComfyUiStandIn.start()) {
            TestingBackendContext context = context(Map.of("ExtraArgs", "--mode never-ready"));
            context.setStartTimeout(Duration.ofSeconds(3));
            ComfyUiSelfStartBackend backend = backend(context, foreign::port);

            backend.init();

            assertThat(context.statusHistory()).noneMatch(change -> change.status() == BackendStatus.RUNNING);
            assertThat(context.status()).isEqualTo(BackendStatus.ERRORED);
            assertThat(context.statusMessage()).contains("Another program, not this ComfyUI, answers on port "
                    + foreign.port());
            assertThat(foreign.requests()).isNotEmpty();
        }
    }

    @Test
    void crashesRestartWithBackoffUntilTheCrashLoopBreakerStopsThem() throws Exception {
        Path signals = Files.createDirectories(comfy.resolve("signals"));
        TestingBackendContext context = context(Map.of("ExtraArgs", "--mode crash-after --crash-signal " + signals));
        ComfyUiSelfStartBackend backend = backend(context, PortSource.ephemeral());

        backend.init();

        // Each launch crashes only once the backend has seen it ready: no race against a machine's load.
        Set<Long> crashed = new HashSet<>();
        for (int crash = 1; crash <= 3; crash++) {
            long pid = awaitRunningOtherThan(context, crashed);
            FakeComfyUiScript.crash(signals, pid);
            crashed.add(pid);
        }
        await().atMost(PATIENCE).until(() -> context.status() == BackendStatus.ERRORED);
        assertThat(context.statusMessage()).startsWith("crash loop: ComfyUI exited 3 times within 60 s (last exit code 3)")
                .contains("fake ComfyUI crashing on purpose");
        List<StatusChange> history = context.statusHistory();
        assertThat(history.stream().filter(c -> c.status() == BackendStatus.RUNNING)).hasSize(3);
        assertThat(history).anyMatch(c -> c.status() == BackendStatus.LOADING
                && c.message().startsWith("ComfyUI exited unexpectedly with code 3; starting it again in 100 ms"))
                .anyMatch(c -> c.status() == BackendStatus.LOADING
                && c.message().startsWith("ComfyUI exited unexpectedly with code 3; starting it again in 200 ms"));
        backend.shutdown();
        awaitNoComfyThreads();
    }

    @Test
    void aKilledComfyUiLeavesRunningAtOnceAndIsRelaunchedOnANewPort() throws Exception {
        TestingBackendContext context = context(Map.of());
        ComfyUiSelfStartBackend backend = backend(context, PortSource.ephemeral());
        backend.init();
        Matcher first = RUNNING.matcher(context.statusMessage());
        assertThat(first.matches()).isTrue();

        ProcessHandle.of(Long.parseLong(first.group(2))).orElseThrow().destroyForcibly();

        await().atMost(PATIENCE).until(() -> context.statusHistory().stream().anyMatch(change ->
                change.status() == BackendStatus.LOADING
                        && change.message().startsWith("ComfyUI exited unexpectedly with code 137")));
        await().atMost(PATIENCE).until(() -> context.status() == BackendStatus.RUNNING
                && !context.statusMessage().equals(first.group()));
        Matcher second = RUNNING.matcher(context.statusMessage());
        assertThat(second.matches()).isTrue();
        assertThat(second.group(2)).isNotEqualTo(first.group(2));
        assertThat(ProcessRecord.read(context.workDirectory())).hasValueSatisfying(
                entry -> assertThat(entry.pid()).isEqualTo(Long.parseLong(second.group(2))));
    }

    @Test
    void withoutAutoRestartACrashIsErroredAndItsOrphanedGrandchildStopped() throws Exception {
        Path report = comfy.resolve("report.json");
        Path signals = Files.createDirectories(comfy.resolve("signals"));
        TestingBackendContext context = context(Map.of("ExtraArgs", "--mode crash-after --crash-signal " + signals
                + " --grandchild --report " + report, "AutoRestart", false));
        ComfyUiSelfStartBackend backend = backend(context, PortSource.ephemeral());

        backend.init();
        assertThat(context.status()).isEqualTo(BackendStatus.RUNNING);
        JsonObject seen = JsonParser.parseString(Files.readString(report)).getAsJsonObject();
        long grandchild = seen.get("grandchild").getAsLong();
        FakeComfyUiScript.crash(signals, seen.get("pid").getAsLong());

        await().atMost(PATIENCE).until(() -> context.status() == BackendStatus.ERRORED);
        assertThat(context.statusMessage()).startsWith("ComfyUI exited unexpectedly with code 3 (AutoRestart is off).");
        // The grandchild outlived its parent, so only the descendants noted while ComfyUI ran can find it.
        await().atMost(PATIENCE).until(() -> ProcessHandle.of(grandchild).filter(ProcessHandle::isAlive).isEmpty());
    }

    @Test
    void aFailingUpdateIsLoggedAndNeverBlocksTheLaunch() throws Exception {
        // Neither folder is a git repository, so each pull fails (or git is missing): either way it is logged.
        Path node = Files.createDirectories(comfy.resolve("custom_nodes/SomeNode/.git")).getParent();
        TestingBackendContext context = context(Map.of("AutoUpdate", "aggressive", "UpdateManagedNodes", "true"));
        ComfyUiSelfStartBackend backend = backend(context, PortSource.ephemeral());

        backend.init();

        assertThat(context.status()).isEqualTo(BackendStatus.RUNNING);
        assertThat(context.output()).anyMatch(line -> line.startsWith("[update] git pull --autostash in " + comfy + ": ")
                && (line.contains("failed with exit code") || line.contains("could not run git")));
        assertThat(context.output()).anyMatch(line -> line.startsWith("[update] git pull in " + node + ": ")
                && (line.contains("failed with exit code") || line.contains("could not run git")));
    }

    @Test
    void anEmptyStartScriptDisablesTheBackend() throws Exception {
        TestingBackendContext context = context(Map.of("StartScript", ""));
        backend(context, PortSource.ephemeral()).init();

        assertThat(context.status()).isEqualTo(BackendStatus.DISABLED);
        assertThat(context.statusMessage()).contains("StartScript");
    }

    @Test
    void aMissingScriptIsErroredWithoutRetry() throws Exception {
        TestingBackendContext context = context(Map.of("StartScript", comfy.resolve("nope/main.py").toString()));
        backend(context, PortSource.ephemeral()).init();

        assertThat(context.status()).isEqualTo(BackendStatus.ERRORED);
        assertThat(context.statusMessage()).contains("does not exist");
    }

    @Test
    void aBatScriptIsErroredOnThisSystemWithoutLaunchingAnything() throws Exception {
        assumeFalse(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows"),
                "a .bat script runs on Windows");
        Path bat = Files.writeString(comfy.resolve("run_nvidia_gpu.bat"), "python main.py\r\n");
        TestingBackendContext context = context(Map.of("StartScript", bat.toString()));

        backend(context, PortSource.ephemeral()).init();

        assertThat(context.status()).isEqualTo(BackendStatus.ERRORED);
        assertThat(context.statusMessage()).isEqualTo("The start script " + bat + " is a Windows .bat file, which "
                + "cannot run on this system. Point StartScript at main.py instead.");
        assertThat(context.statusHistory()).noneMatch(change -> change.message().startsWith("Starting ComfyUI"));
        assertThat(ProcessRecord.read(context.workDirectory())).isEmpty();
    }

    @Test
    void aScriptThatCannotBeStartedIsErroredWithTheSystemsReason() throws Exception {
        // A start script without the execute permission: the spawn itself fails.
        Path script = Files.writeString(comfy.resolve("start.sh"), "#!/bin/sh\nexec python3 -s main.py \"$@\"\n");
        TestingBackendContext context = context(Map.of("StartScript", script.toString()));
        ComfyUiSelfStartBackend backend = backend(context, PortSource.ephemeral());

        backend.init();

        assertThat(context.status()).isEqualTo(BackendStatus.ERRORED);
        assertThat(context.statusMessage()).startsWith("Could not start ComfyUI from " + script
                + ": Cannot run program \"" + script + "\"").contains("Permission denied");
        assertThat(context.statusHistory()).noneMatch(change -> change.message().startsWith("Starting ComfyUI"));
        assertThat(ProcessRecord.read(context.workDirectory())).isEmpty();
        backend.shutdown();
        awaitNoComfyThreads();
    }

    @Test
    void whenEveryPortTriedIsTakenTheBackendIsErroredWithNothingLeftRunning() throws Exception {
        Path script = FakeComfyUiScript.install(comfy);
        TestingBackendContext context = context(Map.of("ExtraArgs", "--mode busy-always"));

        backend(context, PortSource.ephemeral()).init();

        assertThat(context.status()).isEqualTo(BackendStatus.ERRORED);
        assertThat(context.statusMessage())
                .isEqualTo("ComfyUI could not listen on a free port: 5 ports in a row were already in use.");
        List<String> ports = context.statusHistory().stream().map(StatusChange::message)
                .filter(m -> m.startsWith("Starting ComfyUI on port")).map(m -> m.split(" ")[4]).toList();
        assertThat(ports).hasSize(FAST.portAttempts()).doesNotHaveDuplicates();
        assertThat(context.output()).filteredOn(line -> line.startsWith("[switchboard] port "))
                .hasSize(FAST.portAttempts()).last().asString().endsWith(" was already in use.");
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(process -> process.info().commandLine().orElse("").contains(script.toString())))
                .as("launched ComfyUIs still alive").isEmpty();
        assertThat(ProcessRecord.read(context.workDirectory())).isEmpty();
    }

    @Test
    void anUpdateThatOverrunsItsDeadlineIsStoppedWithItsChildrenAndTheLaunchGoesOn() throws Exception {
        // ComfyUI's folder is a git repository whose remote never answers, so git pull hangs in its fetch.
        try (StallingServer remote = StallingServer.start()) {
            git("init", "-q");
            git("remote", "add", "origin", remote.baseUrl() + "/ComfyUI.git");
            SelfStartTuning oneSecondUpdates = new SelfStartTuning(FAST.firstBackoff(), FAST.maxBackoff(),
                    FAST.crashLimit(), FAST.crashWindow(), FAST.stopStep(), FAST.portAttempts(), FAST.pollInterval(),
                    Duration.ofSeconds(1));
            TestingBackendContext context = context(Map.of("AutoUpdate", "true"));
            ComfyUiSelfStartBackend backend = new ComfyUiSelfStartBackend(context, ComfyUiTimeouts.DEFAULTS,
                    oneSecondUpdates, PortSource.ephemeral(), serverEnvironment, ListenerOwnership.system());
            backends.add(backend);

            backend.init();

            assertThat(context.status()).isEqualTo(BackendStatus.RUNNING);
            assertThat(context.output()).contains("[update] git pull in " + comfy
                    + ": did not finish within 1 s; stopped it, launching without updating.");
            assertThat(context.statusHistory()).extracting(StatusChange::message).first()
                    .isEqualTo("Updating ComfyUI before launch");
            assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                    .filter(process -> process.info().commandLine().orElse("").contains("git")))
                    .as("git and its fetch helpers after the deadline").isEmpty();
        }
    }

    /** Runs git in ComfyUI's folder for the test's set-up. */
    private void git(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(arguments));
        Process git = new ProcessBuilder(command).directory(comfy.toFile()).redirectErrorStream(true).start();
        assertThat(git.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("git %s finished", command).isTrue();
        assertThat(git.exitValue()).as("git %s: %s", command, new String(git.getInputStream().readAllBytes()))
                .isZero();
    }

    @Test
    void theProcessRecordAndItsFolderAreForTheOwnerOnly() throws Exception {
        TestingBackendContext context = context(Map.of());
        // As the host's data folder would make it with a usual umask.
        Files.setPosixFilePermissions(context.workDirectory(), PosixFilePermissions.fromString("rwxr-xr-x"));
        ComfyUiSelfStartBackend backend = backend(context, PortSource.ephemeral());

        backend.init();

        assertThat(context.status()).isEqualTo(BackendStatus.RUNNING);
        Path record = context.workDirectory().resolve(ProcessRecord.FILE_NAME);
        assertThat(ProcessRecord.read(context.workDirectory())).isPresent();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(record))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(context.workDirectory())))
                .isEqualTo("rwx------");
    }

    @Test
    void aRecordedProcessIsReapedOnlyWhenProvablyOurs() throws Exception {
        List<String> arguments = List.of("-c", "import time; time.sleep(120)");
        Process ours = new ProcessBuilder("python3", "-c", "import time; time.sleep(120)").start();
        Process stranger = new ProcessBuilder("python3", "-c", "import time; time.sleep(120)").start();
        try {
            // Until the spawned process has exec'd, the OS shows the JDK's spawn helper. python3 may be a wrapper
            // (a pyenv shim) that shows the arguments before it execs the interpreter: the record made then holds.
            TestingBackendContext context = context(Map.of("StartScript", ""));
            await().atMost(PATIENCE).until(() -> ProcessRecord.of(ours.toHandle(), arguments), Optional::isPresent)
                    .orElseThrow().write(context.workDirectory());
            backend(context, PortSource.ephemeral()).init();
            // init stopped it; this JVM's own Process object learns of the exit when its reaper thread gets to it.
            assertThat(ours.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("stopped by init (it sleeps 120 s)")
                    .isTrue();
            assertThat(ProcessRecord.read(context.workDirectory())).isEmpty();

            TestingBackendContext other = context(Map.of("StartScript", ""));
            ProcessRecord real = await().atMost(PATIENCE).until(() -> ProcessRecord.of(stranger.toHandle(), arguments),
                    Optional::isPresent).orElseThrow();
            new ProcessRecord(real.pid(), real.startMillis() - 60_000, real.arguments()).write(other.workDirectory());
            backend(other, PortSource.ephemeral()).init();
            assertThat(stranger.isAlive()).isTrue();
        } finally {
            ours.destroyForcibly();
            stranger.destroyForcibly();
        }
    }

    private TestingBackendContext context(Map<String, Object> overrides) {
        Map<String, Object> values = new LinkedHashMap<>(ComfyUiSelfStartSettings.SCHEMA.defaults().values());
        values.put("StartScript", FakeComfyUiScript.install(comfy).toString());
        values.putAll(overrides);
        TestingBackendContext context = new TestingBackendContext(new Settings(ComfyUiSelfStartSettings.SCHEMA, values));
        contexts.add(context);
        return context;
    }

    @Test
    void aShutdownWhileComfyUiIsBeingSpawnedStopsItBeforeReturning() throws Exception {
        Path script = FakeComfyUiScript.install(comfy);
        TestingBackendContext context = context(Map.of());
        CountDownLatch spawning = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        // The port is chosen while the spawn is under way: holding it here holds the init thread mid-spawn.
        PortSource heldPorts = () -> {
            spawning.countDown();
            try {
                proceed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return PortSource.ephemeral().next();
        };
        ComfyUiSelfStartBackend backend = backend(context, heldPorts);
        Thread init = new Thread(() -> {
            try {
                backend.init();
            } catch (Exception e) {
                context.appendOutput("init ended with " + e);
            }
        }, "test-init");
        init.start();
        assertThat(spawning.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

        CompletableFuture<Void> shutdown = CompletableFuture.runAsync(backend::shutdown);
        Thread.sleep(300);
        assertThat(shutdown).as("shutdown() waits for the spawn under way").isNotDone();
        proceed.countDown();
        shutdown.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);

        // Once shutdown() returned, the host may launch the next ComfyUI: the spawned one must be gone already.
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(process -> process.info().commandLine().orElse("").contains(script.toString())))
                .as("ComfyUI processes alive after shutdown() returned").isEmpty();
        init.join(PATIENCE.toMillis());
        assertThat(init.isAlive()).isFalse();
    }

    private ComfyUiSelfStartBackend backend(TestingBackendContext context, PortSource ports) {
        ComfyUiSelfStartBackend backend = new ComfyUiSelfStartBackend(context, ComfyUiTimeouts.DEFAULTS, FAST, ports,
                serverEnvironment, ListenerOwnership.system());
        backends.add(backend);
        return backend;
    }

    /** Waits until the backend runs a ComfyUI whose pid is not among {@code excluded}, and returns that pid. */
    private static long awaitRunningOtherThan(TestingBackendContext context, Set<Long> excluded) {
        AtomicLong pid = new AtomicLong();
        await().atMost(PATIENCE).until(() -> {
            Matcher running = RUNNING.matcher(context.statusMessage());
            if (context.status() != BackendStatus.RUNNING || !running.matches()
                    || excluded.contains(Long.parseLong(running.group(2)))) {
                return false;
            }
            pid.set(Long.parseLong(running.group(2)));
            return true;
        });
        return pid.get();
    }

    /** Waits until no thread of a ComfyUI backend is left; on failure the message names the threads still alive. */
    private static void awaitNoComfyThreads() {
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && thread.getName().startsWith("comfyui-"))
                .map(thread -> thread.getName() + " " + thread.getState()).toList()).isEmpty());
    }
}
