package dev.switchboard.plugins.comfyui;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonObject;
import dev.switchboard.api.Backend;
import dev.switchboard.api.BackendContext;
import dev.switchboard.api.BackendStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A backend that launches ComfyUI as a child process and supervises it ({@code comfyui_selfstart}).
 *
 * <p>{@link #init()} reaps a ComfyUI left over from a crashed server run (only if provably ours), runs the
 * requested git updates, launches ComfyUI on a free port with an explicit environment, and waits until it
 * answers {@code /object_info} from a listener it owns. An exit during start-up, a start-up timeout or a
 * crash loop is reported with {@link BackendContext#fail}, with the exit code and the last lines printed. After
 * {@code running}, a supervisor thread waits for the process; an unexpected exit relaunches it (with
 * {@code AutoRestart}) after an exponential backoff. {@link #shutdown()} stops the whole process tree.
 */
public final class ComfyUiSelfStartBackend implements Backend {
    private final BackendContext context;
    private final ComfyUiSelfStartSettings settings;
    private final ComfyUiTimeouts timeouts;
    private final SelfStartTuning tuning;
    private final PortSource ports;
    private final Map<String, String> environment;
    private final ListenerOwnership ownership;
    private final ProcessTreeStopper stopper;
    private final AtomicReference<ObjectInfo> objectInfo = new AtomicReference<>(ObjectInfo.empty());
    private final Deque<Instant> crashes = new ArrayDeque<>();
    private final Object lock = new Object();

    // Guarded by lock.
    private LaunchedComfyUi current;
    private Thread supervisor;
    private boolean shutDown;
    /** A process is being spawned and is not yet {@code current}; shutdown() waits for it to become so. */
    private boolean spawning;

    /**
     * Creates the backend.
     *
     * @param context what the host gives this instance
     * @param timeouts HTTP deadlines towards ComfyUI
     * @param tuning supervision timing and limits
     * @param ports where candidate ports come from
     * @param serverEnvironment the server's own environment; only its system basics reach ComfyUI
     * @param ownership checks who holds the listening socket
     */
    ComfyUiSelfStartBackend(BackendContext context, ComfyUiTimeouts timeouts, SelfStartTuning tuning,
            PortSource ports, Map<String, String> serverEnvironment, ListenerOwnership ownership) {
        this.context = requireNonNull(context, "context is null");
        this.timeouts = requireNonNull(timeouts, "timeouts is null");
        this.tuning = requireNonNull(tuning, "tuning is null");
        this.ports = requireNonNull(ports, "ports is null");
        this.ownership = requireNonNull(ownership, "ownership is null");
        this.settings = new ComfyUiSelfStartSettings(context.settings());
        this.environment = ChildEnvironment.of(requireNonNull(serverEnvironment, "serverEnvironment is null"),
                settings.gpuIds());
        this.stopper = new ProcessTreeStopper(tuning.stopStep(), context.logger());
        context.setFeatures(ComfyUiFeatures.beforeLoad());
    }

    @Override
    public void init() throws Exception {
        context.setMaxUsages(settings.maxUsages());
        // Before anything else, so a ComfyUI left by a crashed server is stopped even if the script was unset.
        reapLeftover();
        if (settings.startScript().isEmpty()) {
            context.setStatus(BackendStatus.DISABLED, "No start script is set. Enter the path of ComfyUI's main.py, "
                    + "for example /opt/ComfyUI/main.py, in StartScript to use this backend.");
            return;
        }
        Path script = settings.scriptPath();
        if (!Files.isRegularFile(script)) {
            context.fail("The start script " + script + " does not exist (or is not a file). Check StartScript.");
            return;
        }
        if (script.toString().toLowerCase(java.util.Locale.ROOT).endsWith(".bat") && !isWindows()) {
            context.fail("The start script " + script + " is a Windows .bat file, which cannot run on this system. "
                    + "Point StartScript at main.py instead.");
            return;
        }
        try {
            if (!settings.autoUpdate().equals("false") || !settings.updateManagedNodes().equals("false")) {
                context.setStatus(BackendStatus.LOADING, "Updating ComfyUI before launch");
                new GitUpdater(environment, tuning.updateDeadline(), context::appendOutput)
                        .update(script.getParent(), settings.autoUpdate(), settings.updateManagedNodes());
            }
            Outcome outcome = launchUntilReady(script);
            switch (outcome.kind()) {
                case READY -> {
                    context.setStatus(BackendStatus.RUNNING, runningMessage(outcome.launched()));
                    startSupervisor(script);
                }
                case EXITED -> context.fail("ComfyUI exited with code " + outcome.exitCode()
                        + " during start-up. Last output: " + outcome.launched().lastLines());
                case FAILED -> context.fail(outcome.reason());
                case SHUT_DOWN -> {
                    // shutdown() stops whatever was launched.
                }
            }
        } catch (InterruptedException e) {
            stopCurrent();
            throw e;
        }
    }

    @Override
    public void shutdown() {
        Thread watcher;
        synchronized (lock) {
            shutDown = true;
            // A process spawned right now must be stopped by this call, not by an init thread after it returned:
            // the host starts the next incarnation as soon as this returns, and two ComfyUIs must never overlap.
            awaitSpawned();
            watcher = supervisor;
        }
        if (watcher != null && watcher != Thread.currentThread()) {
            watcher.interrupt();
        }
        stopCurrent();
        if (watcher != null && watcher != Thread.currentThread()) {
            try {
                watcher.join(tuning.stopStep().multipliedBy(4).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Asks ComfyUI to unload its models ({@code POST /free}).
     *
     * @param systemRam whether system RAM should be freed as well
     * @return true once ComfyUI accepted
     * @throws ComfyUiException when ComfyUI refused or could not be reached
     * @throws IllegalStateException when no ComfyUI is running
     */
    @Override
    public boolean freeMemory(boolean systemRam) throws ComfyUiException, InterruptedException {
        LaunchedComfyUi launched;
        synchronized (lock) {
            launched = current;
            if (launched == null || shutDown) {
                throw new IllegalStateException("ComfyUI is not running.");
            }
        }
        launched.client().await(launched.client().free(systemRam, timeouts.request()));
        return true;
    }

    /**
     * Returns what ComfyUI's {@code /object_info} said when it last became ready.
     *
     * @return the node types and model lists; empty before then
     */
    public ObjectInfo objectInfo() {
        return objectInfo.get();
    }

    private enum Kind { READY, EXITED, FAILED, SHUT_DOWN }

    private record Outcome(Kind kind, LaunchedComfyUi launched, int exitCode, String reason) {
        static Outcome of(Kind kind, LaunchedComfyUi launched) {
            return new Outcome(kind, launched, 0, "");
        }

        static Outcome failed(String reason) {
            return new Outcome(Kind.FAILED, null, 0, reason);
        }
    }

    /** Launches ComfyUI and waits until it is ready, trying another port when its port turns out to be taken. */
    private Outcome launchUntilReady(Path script) throws InterruptedException {
        long deadline = System.nanoTime() + context.startTimeout().toNanos();
        for (int attempt = 1; attempt <= tuning.portAttempts(); attempt++) {
            int port;
            LaunchedComfyUi launched = null;
            synchronized (lock) {
                if (shutDown) {
                    return Outcome.of(Kind.SHUT_DOWN, current);
                }
                spawning = true;
            }
            try {
                port = ports.next();
                List<String> command = LaunchCommand.of(script, settings.extraArgs(), port, settings.internalArgs());
                launched = LaunchedComfyUi.start(command, script.getParent(), environment, port,
                        "comfyui-" + context.backendId(), context::appendOutput,
                        "Switchboard/" + context.serverVersion(), timeouts.connect());
            } catch (IOException e) {
                return Outcome.failed("Could not start ComfyUI from " + script + ": " + e.getMessage());
            } finally {
                // In one step with clearing the flag, so a waiting shutdown() finds the new process as current.
                synchronized (lock) {
                    if (launched != null) {
                        current = launched;
                    }
                    spawning = false;
                    lock.notifyAll();
                }
            }
            if (isShutDown()) {
                // shutdown() waited for this spawn and stops the process as current.
                return Outcome.of(Kind.SHUT_DOWN, launched);
            }
            context.setStatus(BackendStatus.LOADING, "Starting ComfyUI on port " + port + " (pid " + launched.pid() + ")");
            Outcome outcome = awaitReady(launched, deadline);
            if (outcome != null) {
                return outcome;
            }
            context.appendOutput("[switchboard] port " + port + " was already in use; trying another port.");
            stop(launched);
        }
        return Outcome.failed("ComfyUI could not listen on a free port: " + tuning.portAttempts()
                + " ports in a row were already in use.");
    }

    /** @return the outcome, or null when ComfyUI reported its port taken (the caller retries) */
    private Outcome awaitReady(LaunchedComfyUi launched, long deadline) throws InterruptedException {
        boolean foreignListener = false;
        boolean recorded = false;
        while (true) {
            // Recorded during start-up already, so a server crash while ComfyUI loads leaves it reapable.
            recorded = recorded || recordOnceExecuted(launched);
            launched.noteDescendants();
            if (isShutDown()) {
                return Outcome.of(Kind.SHUT_DOWN, launched);
            }
            if (launched.reportedAddressInUse()) {
                return null;
            }
            if (!launched.process().isAlive()) {
                launched.awaitOutput(1000);
                if (launched.reportedAddressInUse()) {
                    return null;
                }
                return new Outcome(Kind.EXITED, launched, launched.process().exitValue(), "");
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                String foreign = foreignListener ? " Another program, not this ComfyUI, answers on port "
                        + launched.port() + "." : "";
                String reason = "ComfyUI did not become ready within " + OperatorText.describe(context.startTimeout())
                        + " (port " + launched.port() + ", pid " + launched.pid() + ")." + foreign
                        + " Stopped it. Last output: " + launched.lastLines();
                stop(launched);
                return Outcome.failed(reason);
            }
            try {
                Duration wait = Duration.ofNanos(Math.min(remaining, timeouts.load().toNanos()));
                JsonObject body = launched.client().await(launched.client().objectInfo(wait));
                if (ownedByChild(launched)) {
                    // Again now that it is surely past exec: an early record may have caught a transition.
                    record(launched);
                    publish(body);
                    return Outcome.of(Kind.READY, launched);
                }
                foreignListener = true;
            } catch (ComfyUiException e) {
                // Not listening yet, or still starting up: keep polling until the deadline.
            }
            Thread.sleep(Math.max(1, Math.min(tuning.pollInterval().toMillis(), remaining / 1_000_000)));
        }
    }

    private boolean ownedByChild(LaunchedComfyUi launched) {
        if (!launched.process().isAlive()) {
            return false;
        }
        // Without /proc (not Linux) the check cannot be made; the live child answering is the best evidence.
        return !ownership.supported() || ownership.ownedBy(launched.process().toHandle(), launched.port());
    }

    private void startSupervisor(Path script) {
        LaunchedComfyUi launched;
        synchronized (lock) {
            if (shutDown) {
                return;
            }
            launched = current;
            Thread thread = new Thread(() -> supervise(script, launched), "comfyui-" + context.backendId()
                    + "-supervisor");
            thread.setDaemon(true);
            supervisor = thread;
            thread.start();
        }
    }

    /** Waits for the running process; relaunches it after a crash, or reports the crash (loop). */
    private void supervise(Path script, LaunchedComfyUi running) {
        LaunchedComfyUi launched = running;
        try {
            while (true) {
                while (!launched.process().waitFor(1, TimeUnit.SECONDS)) {
                    launched.noteDescendants();
                }
                int exitCode = launched.process().exitValue();
                if (isShutDown()) {
                    return;
                }
                launched.awaitOutput(1000);
                stop(launched);
                Outcome outcome = relaunchAfterCrash(script, launched, exitCode);
                while (outcome != null && outcome.kind() == Kind.EXITED) {
                    stop(outcome.launched());
                    outcome = relaunchAfterCrash(script, outcome.launched(), outcome.exitCode());
                }
                if (outcome == null || outcome.kind() == Kind.SHUT_DOWN) {
                    return;
                }
                if (outcome.kind() == Kind.FAILED) {
                    context.fail(outcome.reason());
                    return;
                }
                launched = outcome.launched();
                context.setStatus(BackendStatus.RUNNING, runningMessage(launched));
            }
        } catch (InterruptedException e) {
            // shutdown() interrupts the supervisor and stops the process itself.
        } catch (RuntimeException e) {
            context.logger().error("ComfyUI supervision failed", e);
            context.fail("Supervising ComfyUI failed: " + e);
        }
    }

    /** @return the relaunch's outcome, or null when no relaunch is made (the backend was failed) */
    private Outcome relaunchAfterCrash(Path script, LaunchedComfyUi crashed, int exitCode)
            throws InterruptedException {
        String last = crashed.lastLines();
        if (!settings.autoRestart()) {
            context.fail("ComfyUI exited unexpectedly with code " + exitCode + " (AutoRestart is off). Last output: "
                    + last);
            return null;
        }
        Instant now = Instant.now();
        crashes.addLast(now);
        while (!crashes.isEmpty() && crashes.peekFirst().isBefore(now.minus(tuning.crashWindow()))) {
            crashes.removeFirst();
        }
        if (crashes.size() >= tuning.crashLimit()) {
            context.fail("crash loop: ComfyUI exited " + crashes.size() + " times within "
                    + OperatorText.describe(tuning.crashWindow()) + " (last exit code " + exitCode
                    + "), so it is not restarted again. Fix the cause, then restart, toggle or edit the backend. "
                    + "Last output: " + last);
            return null;
        }
        Duration wait = tuning.backoff(crashes.size());
        context.setStatus(BackendStatus.LOADING, "ComfyUI exited unexpectedly with code " + exitCode
                + "; starting it again in " + OperatorText.describe(wait) + " (crash " + crashes.size() + "; "
                + tuning.crashLimit() + " within " + OperatorText.describe(tuning.crashWindow())
                + " stop the restarts). Last output: " + last);
        Thread.sleep(wait.toMillis());
        return launchUntilReady(script);
    }

    private void reapLeftover() {
        Path directory = context.workDirectory();
        ProcessRecord.read(directory).flatMap(ProcessRecord::findLive).ifPresent(process -> {
            context.appendOutput("[switchboard] stopping ComfyUI left running by an earlier server run (pid "
                    + process.pid() + ").");
            stopper.stop(process);
        });
        try {
            ProcessRecord.delete(directory);
        } catch (IOException e) {
            context.logger().warn("Could not delete {}", directory.resolve(ProcessRecord.FILE_NAME), e);
        }
    }

    /**
     * Records the process once it runs the launched program: right after the start, the OS may still show the
     * JDK's spawn helper as its command line, which would never match later.
     *
     * @return whether a record was written
     */
    private boolean recordOnceExecuted(LaunchedComfyUi launched) {
        String script = launched.command().get(launched.command().size() > 1
                && launched.command().get(1).equals("-s") ? 2 : 0);
        Optional<ProcessRecord> entry = ProcessRecord.of(launched.process().toHandle())
                .filter(candidate -> candidate.commandLine().contains(script));
        entry.ifPresent(this::write);
        return entry.isPresent();
    }

    private void record(LaunchedComfyUi launched) {
        ProcessRecord.of(launched.process().toHandle()).ifPresent(this::write);
    }

    private void write(ProcessRecord entry) {
        try {
            entry.write(context.workDirectory());
        } catch (IOException e) {
            context.logger().warn("Could not record ComfyUI's pid in {}", context.workDirectory(), e);
        }
    }

    // Holding lock: waits until no process is between being spawned and becoming current.
    private void awaitSpawned() {
        boolean interrupted = false;
        while (spawning) {
            try {
                lock.wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void stopCurrent() {
        LaunchedComfyUi launched;
        synchronized (lock) {
            launched = current;
        }
        if (launched != null) {
            stop(launched);
        }
    }

    private void stop(LaunchedComfyUi launched) {
        launched.closeClient();
        launched.noteDescendants();
        boolean gone = stopper.stop(launched.process().toHandle(), launched.knownDescendants());
        if (gone) {
            try {
                ProcessRecord.read(context.workDirectory()).filter(entry -> entry.pid() == launched.pid())
                        .ifPresent(entry -> deleteRecord());
            } catch (RuntimeException e) {
                context.logger().warn("Could not clear the process record", e);
            }
        }
    }

    private void deleteRecord() {
        try {
            ProcessRecord.delete(context.workDirectory());
        } catch (IOException e) {
            context.logger().warn("Could not delete the process record", e);
        }
    }

    private boolean isShutDown() {
        synchronized (lock) {
            return shutDown;
        }
    }

    private void publish(JsonObject body) {
        ObjectInfo info = ObjectInfo.parse(body);
        objectInfo.set(info);
        context.setFeatures(ComfyUiFeatures.of(info));
    }

    private static String runningMessage(LaunchedComfyUi launched) {
        return "Running: ComfyUI on port " + launched.port() + " (pid " + launched.pid() + ")";
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows");
    }
}
