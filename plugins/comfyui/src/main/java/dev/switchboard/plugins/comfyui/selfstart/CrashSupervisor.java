package dev.switchboard.plugins.comfyui.selfstart;

import static java.util.Objects.requireNonNull;

import dev.switchboard.api.BackendContext;
import dev.switchboard.api.BackendStatus;
import dev.switchboard.plugins.comfyui.connection.OperatorText;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;

/**
 * The supervisor thread's work once ComfyUI runs: waits for the process to exit; after an unexpected exit
 * relaunches it (with {@code AutoRestart}) after a backoff that doubles with each crash, until
 * {@link SelfStartTuning#crashLimit()} crashes within {@link SelfStartTuning#crashWindow()} make it a crash loop,
 * which fails the backend. Without {@code AutoRestart} the first crash fails it. Ends when the backend shuts
 * down (it interrupts this thread and stops the process itself).
 */
final class CrashSupervisor implements Runnable {
    private final BackendContext context;
    private final boolean autoRestart;
    private final SelfStartTuning tuning;
    private final LaunchState state;
    private final Launcher launcher;
    private final Path script;
    private final LaunchedComfyUi first;
    private final Deque<Instant> crashes = new ArrayDeque<>();

    /**
     * Creates the supervision of a running ComfyUI.
     *
     * @param context the backend's context
     * @param autoRestart whether a crash relaunches ComfyUI
     * @param tuning the backoff and crash-loop limits
     * @param state the backend's shutdown flag
     * @param launcher launches and stops ComfyUI
     * @param script the start script
     * @param running the ComfyUI that is running now
     */
    CrashSupervisor(BackendContext context, boolean autoRestart, SelfStartTuning tuning, LaunchState state,
            Launcher launcher, Path script, LaunchedComfyUi running) {
        this.context = requireNonNull(context, "context is null");
        this.autoRestart = autoRestart;
        this.tuning = requireNonNull(tuning, "tuning is null");
        this.state = requireNonNull(state, "state is null");
        this.launcher = requireNonNull(launcher, "launcher is null");
        this.script = requireNonNull(script, "script is null");
        this.first = requireNonNull(running, "running is null");
    }

    @Override
    public void run() {
        LaunchedComfyUi launched = first;
        try {
            while (true) {
                while (!launched.process().waitFor(1, TimeUnit.SECONDS)) {
                    launched.noteDescendants();
                }
                int exitCode = launched.process().exitValue();
                if (state.isShutDown()) {
                    return;
                }
                launched.awaitOutput(1000);
                launcher.stop(launched);
                LaunchOutcome outcome = relaunchAfterCrash(launched, exitCode);
                while (outcome != null && outcome.kind() == LaunchOutcome.Kind.EXITED) {
                    launcher.stop(outcome.launched());
                    outcome = relaunchAfterCrash(outcome.launched(), outcome.exitCode());
                }
                if (outcome == null || outcome.kind() == LaunchOutcome.Kind.SHUT_DOWN) {
                    return;
                }
                if (outcome.kind() == LaunchOutcome.Kind.FAILED) {
                    context.fail(outcome.reason());
                    return;
                }
                launched = outcome.launched();
                context.setStatus(BackendStatus.RUNNING, launched.runningMessage());
            }
        } catch (InterruptedException e) {
            // shutdown() interrupts the supervisor and stops the process itself.
        } catch (RuntimeException e) {
            context.logger().error("ComfyUI supervision failed", e);
            context.fail("Supervising ComfyUI failed: " + e);
        }
    }

    /** @return the relaunch's outcome, or null when no relaunch is made (the backend was failed) */
    private LaunchOutcome relaunchAfterCrash(LaunchedComfyUi crashed, int exitCode) throws InterruptedException {
        String last = crashed.lastLines();
        if (!autoRestart) {
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
        return launcher.launchUntilReady(script);
    }
}
