package dev.switchboard.plugins.comfyui.selfstart;

import static java.util.Objects.requireNonNull;

import dev.switchboard.api.Backend;
import dev.switchboard.api.BackendContext;
import dev.switchboard.api.BackendStatus;
import dev.switchboard.api.generation.GenerationException;
import dev.switchboard.api.generation.GenerationJob;
import dev.switchboard.api.generation.GenerationOutput;
import dev.switchboard.api.generation.ImageGenerator;
import dev.switchboard.plugins.comfyui.connection.ComfyUiClient;
import dev.switchboard.plugins.comfyui.connection.ComfyUiException;
import dev.switchboard.plugins.comfyui.connection.ComfyUiTimeouts;
import dev.switchboard.plugins.comfyui.connection.LoadedObjectInfo;
import dev.switchboard.plugins.comfyui.connection.ObjectInfo;
import dev.switchboard.plugins.comfyui.generation.ComfyUiGenerator;
import dev.switchboard.plugins.comfyui.generation.JobTimeouts;
import dev.switchboard.plugins.support.SharedHttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * A backend that launches ComfyUI as a child process and supervises it ({@code comfyui_selfstart}).
 *
 * <p>{@link #init()} reaps a ComfyUI left over from a crashed server run (only if provably ours), runs the
 * requested git updates, launches ComfyUI on a free port with an explicit environment, and waits until it
 * answers {@code /object_info} from a listener it owns ({@link Launcher}). An exit during start-up, a start-up
 * timeout or a crash loop is reported with {@link BackendContext#fail}, with the exit code and the last lines
 * printed. After {@code running}, a supervisor thread waits for the process; an unexpected exit relaunches it
 * (with {@code AutoRestart}) after an exponential backoff ({@link CrashSupervisor}). {@link #shutdown()} stops
 * the whole process tree. It generates through the shared {@link ComfyUiGenerator} on the ComfyUI running now.
 */
public final class ComfyUiSelfStartBackend implements Backend, ImageGenerator {
    private final BackendContext context;
    private final ComfyUiSelfStartSettings settings;
    private final SelfStartTuning tuning;
    private final Map<String, String> environment;
    private final LoadedObjectInfo objectInfo;
    private final ProcessTreeStopper stopper;
    private final ProcessRecords records;
    private final LaunchState state = new LaunchState();
    private final Launcher launcher;
    private final ComfyUiGenerator generator;

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
        this(context, timeouts, tuning, ports, serverEnvironment, ownership, JobTimeouts.DEFAULTS);
    }

    /**
     * Creates the backend with the deadlines of its jobs and an HTTP client of its own.
     *
     * @param context what the host gives this instance
     * @param timeouts HTTP deadlines towards ComfyUI
     * @param tuning supervision timing and limits
     * @param ports where candidate ports come from
     * @param serverEnvironment the server's own environment; only its system basics reach ComfyUI
     * @param ownership checks who holds the listening socket
     * @param jobTimeouts how long a generation waits for what
     */
    ComfyUiSelfStartBackend(BackendContext context, ComfyUiTimeouts timeouts, SelfStartTuning tuning,
            PortSource ports, Map<String, String> serverEnvironment, ListenerOwnership ownership,
            JobTimeouts jobTimeouts) {
        this(context, timeouts, tuning, ports, serverEnvironment, ownership, jobTimeouts,
                ComfyUiClient.newSharedHttp(timeouts.connect()));
    }

    /**
     * Creates the backend with the deadlines of its jobs and the HTTP client the type's backends share.
     *
     * @param context what the host gives this instance
     * @param timeouts HTTP deadlines towards ComfyUI
     * @param tuning supervision timing and limits
     * @param ports where candidate ports come from
     * @param serverEnvironment the server's own environment; only its system basics reach ComfyUI
     * @param ownership checks who holds the listening socket
     * @param jobTimeouts how long a generation waits for what
     * @param http the HTTP client shared by the backends of the type; each launched ComfyUI holds a lease of it
     */
    ComfyUiSelfStartBackend(BackendContext context, ComfyUiTimeouts timeouts, SelfStartTuning tuning,
            PortSource ports, Map<String, String> serverEnvironment, ListenerOwnership ownership,
            JobTimeouts jobTimeouts, SharedHttpClient http) {
        this.context = requireNonNull(context, "context is null");
        this.generator = new ComfyUiGenerator(jobTimeouts, context.logger());
        this.tuning = requireNonNull(tuning, "tuning is null");
        this.settings = new ComfyUiSelfStartSettings(context.settings());
        this.environment = ChildEnvironment.of(requireNonNull(serverEnvironment, "serverEnvironment is null"),
                settings.gpuIds());
        this.stopper = new ProcessTreeStopper(tuning.stopStep(), context.logger());
        this.records = new ProcessRecords(context, stopper);
        this.objectInfo = new LoadedObjectInfo(context);
        this.launcher = new Launcher(context, settings, timeouts, http, tuning, ports, environment, ownership,
                stopper, records, state, objectInfo);
    }

    @Override
    public void init() throws Exception {
        context.setMaxUsages(settings.maxUsages());
        // Before anything else, so a ComfyUI left by a crashed server is stopped even if the script was unset.
        records.reapLeftover();
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
        if (script.toString().toLowerCase(Locale.ROOT).endsWith(".bat") && !isWindows()) {
            context.fail("The start script " + script + " is a Windows .bat file, which cannot run on this system. "
                    + "Point StartScript at main.py instead.");
            return;
        }
        try {
            if (!settings.autoUpdate().equals("false") || !settings.updateManagedNodes().equals("false")) {
                context.setStatus(BackendStatus.LOADING, "Updating ComfyUI before launch");
                new GitUpdater(environment, tuning.updateDeadline(), context::appendOutput, stopper)
                        .update(script.getParent(), settings.autoUpdate(), settings.updateManagedNodes());
            }
            LaunchOutcome outcome = launcher.launchUntilReady(script);
            switch (outcome.kind()) {
                case READY -> {
                    context.setStatus(BackendStatus.RUNNING, outcome.launched().runningMessage());
                    state.startSupervisor(running -> new CrashSupervisor(context, settings.autoRestart(), tuning,
                            state, launcher, script, running), "comfyui-" + context.backendId() + "-supervisor");
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
        // Waits for a process being spawned right now, so this call stops it, not an init thread after it returned:
        // the host starts the next incarnation as soon as this returns, and two ComfyUIs must never overlap.
        Thread watcher = state.shutDown();
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
        return running().connection().free(systemRam);
    }

    private LaunchedComfyUi running() {
        LaunchedComfyUi launched = state.running();
        if (launched == null) {
            throw new IllegalStateException("ComfyUI is not running.");
        }
        return launched;
    }

    /**
     * Runs one job on the ComfyUI running now ({@link ComfyUiGenerator}).
     *
     * @throws GenerationException when ComfyUI refused or failed the job
     * @throws IllegalStateException when no ComfyUI is running
     */
    @Override
    public void generate(GenerationJob job, GenerationOutput output) throws GenerationException,
            InterruptedException {
        generator.generate(running().connection(), objectInfo.get(), job, output);
    }

    /** Reloads {@code /object_info} from the ComfyUI running now and reports its models and node types again. */
    @Override
    public void refreshModels() throws ComfyUiException, InterruptedException {
        LaunchedComfyUi launched = running();
        objectInfo.publish(launched.connection().await(launched.connection().objectInfo()));
    }

    /**
     * Returns what ComfyUI's {@code /object_info} said when it last became ready.
     *
     * @return the node types and model lists; empty before then
     */
    public ObjectInfo objectInfo() {
        return objectInfo.get();
    }

    private void stopCurrent() {
        LaunchedComfyUi launched = state.current();
        if (launched != null) {
            launcher.stop(launched);
        }
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    }
}
