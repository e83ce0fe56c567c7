package dev.switchboard.plugins.comfyui.byaddress;

import static java.util.Objects.requireNonNull;

import dev.switchboard.api.BackendContext;
import dev.switchboard.api.BackendStatus;
import dev.switchboard.plugins.comfyui.connection.ComfyUiException;
import dev.switchboard.plugins.comfyui.connection.OperatorText;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Watches a running {@code comfyui_api} backend: every interval it probes the server, at most one probe in
 * flight, each probe bounded by its own total deadline (connect, headers and body). What a failed probe does
 * depends on {@code AllowIdle}:
 *
 * <ul>
 *   <li>allowed: a running backend turns idle, with the reason as its message; a successful probe of an idle
 *       backend reloads the server's node and model lists first (SwarmUI skips that, quirk #20) and then makes
 *       it running again;</li>
 *   <li>not allowed: the backend fails ({@link BackendContext#fail}), so it is errored with the reason
 *       instead of looking alive while the server is dead (SwarmUI#353); Restart, Toggle or Edit starts it
 *       again.</li>
 * </ul>
 *
 * <p>Stops by itself once the instance is no longer current. Probes run asynchronously, so the shared
 * scheduler thread never waits on the network. Thread-safe.
 */
final class HealthMonitor {
    private final BackendContext context;
    private final String address;
    private final Duration interval;
    private final boolean allowIdle;
    private final Supplier<CompletableFuture<?>> probe;
    private final Supplier<CompletableFuture<String>> reload;
    private final AtomicBoolean busy = new AtomicBoolean();
    private final Object lock = new Object();

    // Guarded by lock.
    private ScheduledFuture<?> schedule;
    private boolean stopped;
    private String lastIdleMessage;

    /**
     * Creates the monitor.
     *
     * @param context the backend's context
     * @param address the server's address as the operator entered it, for messages
     * @param interval the pause between the end of one check and the start of the next
     * @param allowIdle whether an unreachable server makes the backend idle (else it fails)
     * @param probe starts a cheap reachability check that completes (or fails) within its own deadline
     * @param reload starts reloading the server's lists; completes with the message for the running state
     */
    HealthMonitor(BackendContext context, String address, Duration interval, boolean allowIdle,
            Supplier<CompletableFuture<?>> probe, Supplier<CompletableFuture<String>> reload) {
        this.context = requireNonNull(context, "context is null");
        this.address = requireNonNull(address, "address is null");
        this.interval = requireNonNull(interval, "interval is null");
        this.allowIdle = allowIdle;
        this.probe = requireNonNull(probe, "probe is null");
        this.reload = requireNonNull(reload, "reload is null");
    }

    void start() {
        synchronized (lock) {
            if (stopped || schedule != null) {
                return;
            }
            schedule = context.scheduler().scheduleWithFixedDelay(this::tick, interval.toMillis(),
                    interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    void stop() {
        synchronized (lock) {
            stopped = true;
            if (schedule != null) {
                schedule.cancel(false);
            }
        }
    }

    /**
     * Makes the backend idle because the server could not be reached (or answered wrongly), unless it is
     * already idle for the same reason, so a long outage does not repeat the same message every interval.
     *
     * @param failure why
     */
    void goIdle(Throwable failure) {
        String message = sentence(reasonOf(failure)) + " Checking again every " + OperatorText.describe(interval) + ".";
        synchronized (lock) {
            if (context.status() == BackendStatus.IDLE && message.equals(lastIdleMessage)) {
                return;
            }
            lastIdleMessage = message;
        }
        context.setStatus(BackendStatus.IDLE, message);
    }

    private boolean active() {
        synchronized (lock) {
            return !stopped && context.isCurrent();
        }
    }

    private void tick() {
        if (!active()) {
            stop();
            return;
        }
        if (!busy.compareAndSet(false, true)) {
            return;
        }
        // Again while holding the one probe slot: the probe that held it may have ended just now, after the
        // instance stopped being current, and then no new probe may start.
        if (!active()) {
            busy.set(false);
            stop();
            return;
        }
        CompletableFuture<?> check;
        try {
            check = probe.get();
        } catch (RuntimeException e) {
            // Thrown out of a periodic task, it would silently end the schedule; keep checking instead.
            busy.set(false);
            context.logger().warn("Could not start a ComfyUI reachability check", e);
            return;
        }
        check.whenComplete((ignored, failure) -> {
            if (failure != null || !active() || context.status() != BackendStatus.IDLE) {
                try {
                    onProbe(failure);
                } finally {
                    busy.set(false);
                }
                return;
            }
            recover();
        });
    }

    private void onProbe(Throwable failure) {
        if (failure == null || !active()) {
            return;
        }
        BackendStatus status = context.status();
        if (allowIdle && (status == BackendStatus.RUNNING || status == BackendStatus.IDLE)) {
            goIdle(failure);
        } else if (!allowIdle && status == BackendStatus.RUNNING) {
            stop();
            context.fail("ComfyUI at " + address + " stopped answering: " + sentence(reasonOf(failure))
                    + " Restart the backend (or turn it off and on) once ComfyUI is back, or enable AllowIdle to"
                    + " wait for it automatically.");
        }
    }

    private void recover() {
        synchronized (lock) {
            lastIdleMessage = null;
        }
        context.setStatusMessage("ComfyUI answers again; loading its node types and models.");
        CompletableFuture<String> loading;
        try {
            loading = reload.get();
        } catch (RuntimeException e) {
            busy.set(false);
            context.logger().warn("Could not start reloading ComfyUI's node types", e);
            return;
        }
        loading.whenComplete((runningMessage, failure) -> {
            try {
                if (!active() || context.status() != BackendStatus.IDLE) {
                    return;
                }
                if (failure != null) {
                    goIdle(failure);
                } else {
                    context.setStatus(BackendStatus.RUNNING, runningMessage);
                }
            } finally {
                busy.set(false);
            }
        });
    }

    /** Ends the text with a full stop, so the advice after it reads as a new sentence. */
    private static String sentence(String text) {
        return text.endsWith(".") || text.endsWith("?") ? text : text + ".";
    }

    private static String reasonOf(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return cause instanceof ComfyUiException ? cause.getMessage() : String.valueOf(cause);
    }
}
