package dev.switchboard.plugins.comfyui.selfstart;

import static java.util.Objects.requireNonNull;

import dev.switchboard.api.BackendContext;
import dev.switchboard.api.BackendStatus;
import dev.switchboard.plugins.comfyui.connection.ComfyUiException;
import dev.switchboard.plugins.comfyui.connection.ComfyUiTimeouts;
import dev.switchboard.plugins.comfyui.connection.LoadedObjectInfo;
import dev.switchboard.plugins.comfyui.connection.ObjectInfo;
import dev.switchboard.plugins.comfyui.connection.OperatorText;
import dev.switchboard.plugins.support.SharedHttpClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Launches ComfyUI and waits until it is ready: {@code /object_info} answers, from a listener the launched
 * process (or a child of it) owns. When ComfyUI reports its port taken it is stopped and launched again on
 * another port, up to {@link SelfStartTuning#portAttempts()} times; a ComfyUI not ready within the start
 * timeout is stopped. Also stops a launched ComfyUI's whole process tree and forgets its record.
 */
final class Launcher {
    private final BackendContext context;
    private final ComfyUiSelfStartSettings settings;
    private final ComfyUiTimeouts timeouts;
    private final SharedHttpClient http;
    private final SelfStartTuning tuning;
    private final PortSource ports;
    private final Map<String, String> environment;
    private final ListenerOwnership ownership;
    private final ProcessTreeStopper stopper;
    private final ProcessRecords records;
    private final LaunchState state;
    private final LoadedObjectInfo objectInfo;

    /**
     * Creates the launcher of one backend.
     *
     * @param context the backend's context
     * @param settings its settings
     * @param timeouts HTTP deadlines towards ComfyUI
     * @param http the client shared by the type's backends; each launched ComfyUI's connection leases it
     * @param tuning the port attempts and the pause between readiness checks
     * @param ports where candidate ports come from
     * @param environment ComfyUI's complete environment
     * @param ownership checks who holds the listening socket
     * @param stopper stops a process tree
     * @param records keeps {@code process.json}
     * @param state the backend's current process and shutdown flag
     * @param objectInfo where a ready ComfyUI's node types go
     */
    Launcher(BackendContext context, ComfyUiSelfStartSettings settings, ComfyUiTimeouts timeouts,
            SharedHttpClient http, SelfStartTuning tuning, PortSource ports, Map<String, String> environment, ListenerOwnership ownership,
            ProcessTreeStopper stopper, ProcessRecords records, LaunchState state, LoadedObjectInfo objectInfo) {
        this.context = requireNonNull(context, "context is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.timeouts = requireNonNull(timeouts, "timeouts is null");
        this.http = requireNonNull(http, "http is null");
        this.tuning = requireNonNull(tuning, "tuning is null");
        this.ports = requireNonNull(ports, "ports is null");
        this.environment = requireNonNull(environment, "environment is null");
        this.ownership = requireNonNull(ownership, "ownership is null");
        this.stopper = requireNonNull(stopper, "stopper is null");
        this.records = requireNonNull(records, "records is null");
        this.state = requireNonNull(state, "state is null");
        this.objectInfo = requireNonNull(objectInfo, "objectInfo is null");
    }

    /**
     * Launches ComfyUI and waits until it is ready, trying another port when its port turns out to be taken.
     *
     * @param script the start script
     * @return how it ended; a ready process is the state's current one
     */
    LaunchOutcome launchUntilReady(Path script) throws InterruptedException {
        long deadline = tuning.startClock().getAsLong() + context.startTimeout().toNanos();
        for (int attempt = 1; attempt <= tuning.portAttempts(); attempt++) {
            if (!state.beginSpawn()) {
                return LaunchOutcome.of(LaunchOutcome.Kind.SHUT_DOWN, state.current());
            }
            int port;
            LaunchedComfyUi launched = null;
            try {
                port = ports.next();
                List<String> command = LaunchCommand.of(script, settings.extraArgs(), port, settings.internalArgs());
                launched = LaunchedComfyUi.start(command, script.getParent(), environment, port,
                        "comfyui-" + context.backendId(), context::appendOutput,
                        "Switchboard/" + context.serverVersion(), http, timeouts);
            } catch (IOException e) {
                return LaunchOutcome.failed("Could not start ComfyUI from " + script + ": " + e.getMessage());
            } finally {
                state.endSpawn(launched);
            }
            if (state.isShutDown()) {
                // shutdown() waited for this spawn and stops the process as current.
                return LaunchOutcome.of(LaunchOutcome.Kind.SHUT_DOWN, launched);
            }
            context.setStatus(BackendStatus.LOADING, "Starting ComfyUI on port " + port + " (pid " + launched.pid() + ")");
            LaunchOutcome outcome = awaitReady(launched, deadline);
            if (outcome != null) {
                return outcome;
            }
            context.appendOutput("[switchboard] port " + port + " was already in use"
                    + (attempt < tuning.portAttempts() ? "; trying another port." : "."));
            stop(launched);
        }
        return LaunchOutcome.failed("ComfyUI could not listen on a free port: " + tuning.portAttempts()
                + " ports in a row were already in use.");
    }

    /**
     * Stops a launched ComfyUI: closes its connection, stops its whole process tree (descendants noted while it
     * lived included) and, once nothing of it is left, forgets its record.
     *
     * @param launched the process
     */
    void stop(LaunchedComfyUi launched) {
        launched.closeConnection();
        launched.noteDescendants();
        if (stopper.stop(launched.process().toHandle(), launched.knownDescendants())) {
            records.forget(launched.pid());
        }
    }

    /** @return the outcome, or null when ComfyUI reported its port taken (the caller retries) */
    private LaunchOutcome awaitReady(LaunchedComfyUi launched, long deadline) throws InterruptedException {
        boolean foreignListener = false;
        boolean recorded = false;
        while (true) {
            // Recorded during start-up already, so a server crash while ComfyUI loads leaves it reapable.
            recorded = recorded || records.recordOnceExecuted(launched);
            launched.noteDescendants();
            if (state.isShutDown()) {
                return LaunchOutcome.of(LaunchOutcome.Kind.SHUT_DOWN, launched);
            }
            if (launched.reportedAddressInUse()) {
                return null;
            }
            if (!launched.process().isAlive()) {
                launched.awaitOutput(1000);
                return launched.reportedAddressInUse() ? null : LaunchOutcome.exited(launched);
            }
            long remaining = deadline - tuning.startClock().getAsLong();
            if (remaining <= 0) {
                String foreign = foreignListener ? " Another program, not this ComfyUI, answers on port "
                        + launched.port() + "." : "";
                String reason = "ComfyUI did not become ready within " + OperatorText.describe(context.startTimeout())
                        + " (port " + launched.port() + ", pid " + launched.pid() + ")." + foreign
                        + " Stopped it. Last output: " + launched.lastLines();
                stop(launched);
                return LaunchOutcome.failed(reason);
            }
            try {
                Duration wait = Duration.ofNanos(Math.min(remaining, timeouts.load().toNanos()));
                ObjectInfo info = launched.connection().await(launched.connection().objectInfo(wait));
                if (ownedByChild(launched)) {
                    // Again now that it is surely past exec: an early record may have caught a transition.
                    records.record(launched);
                    objectInfo.publish(info);
                    return LaunchOutcome.of(LaunchOutcome.Kind.READY, launched);
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
}
