package dev.switchboard.plugins.comfyui;

import static java.util.Objects.requireNonNull;

import dev.switchboard.api.BackendContext;
import dev.switchboard.api.BackendStatus;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Watches a backend that may idle: every interval it probes the server (at most one probe in flight). A
 * failed probe turns a running backend idle, with the reason as its message; a successful probe of an idle
 * backend reloads the server's node and model lists first (SwarmUI skips that, quirk #20) and then makes it
 * running. Stops by itself once the instance is no longer current. Probes run asynchronously, so the shared
 * scheduler thread never waits on the network. Thread-safe.
 */
final class IdleMonitor {
    private final BackendContext context;
    private final Duration interval;
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
     * @param interval the pause between the end of one check and the start of the next
     * @param probe starts a cheap reachability check
     * @param reload starts reloading the server's lists; completes with the message for the running state
     */
    IdleMonitor(BackendContext context, Duration interval, Supplier<CompletableFuture<?>> probe,
            Supplier<CompletableFuture<String>> reload) {
        this.context = requireNonNull(context, "context is null");
        this.interval = requireNonNull(interval, "interval is null");
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
        String message = reasonOf(failure) + " Checking again every " + OperatorText.describe(interval) + ".";
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
        if (status == BackendStatus.RUNNING || status == BackendStatus.IDLE) {
            goIdle(failure);
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

    private static String reasonOf(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return cause instanceof ComfyUiException ? cause.getMessage() : String.valueOf(cause);
    }
}
