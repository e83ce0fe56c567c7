package dev.switchboard.server.scheduling;

import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One task of a {@link BackendScheduler}, and its future: a one-shot task, or a periodic one that the view
 * schedules again after each run, as {@link java.util.concurrent.ScheduledThreadPoolExecutor} does (a run that
 * throws ends the repetition and completes the future with the exception, which the view logs).
 */
final class ScheduledTask<V> extends FutureTask<V> implements RunnableScheduledFuture<V> {
    private final BackendScheduler owner;
    /** Nanoseconds between runs: positive at a fixed rate, negative with a fixed delay, zero for one shot. */
    private final long period;
    /** Whether a failure would go unseen (periodic, or given to {@code execute}): then the view logs it. */
    private final boolean logFailure;
    private volatile long triggerNanos;
    // Guarded by the owner's lock.
    private ScheduledFuture<?> handOff;
    private boolean registered;

    ScheduledTask(BackendScheduler owner, Callable<V> callable, boolean logFailure) {
        super(callable);
        this.owner = owner;
        this.period = 0;
        this.logFailure = logFailure;
    }

    ScheduledTask(BackendScheduler owner, Runnable runnable, V result, long period, boolean logFailure) {
        super(runnable, result);
        this.owner = owner;
        this.period = period;
        this.logFailure = logFailure || period != 0;
    }

    @Override
    public boolean isPeriodic() {
        return period != 0;
    }

    @Override
    public void run() {
        if (!isPeriodic()) {
            super.run();
        } else if (runAndReset()) {
            owner.runAgain(this);
        }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        if (cancelled) {
            owner.cancelled(this);
        }
        return cancelled;
    }

    @Override
    protected void setException(Throwable failure) {
        if (logFailure) {
            owner.failed(this, failure);
        }
        super.setException(failure);
    }

    @Override
    public long getDelay(TimeUnit unit) {
        return unit.convert(triggerNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
        if (other == this) {
            return 0;
        }
        return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
    }

    // The owner's bookkeeping, called under its lock (the trigger is also read by getDelay).

    void trigger(long nanos) {
        triggerNanos = nanos;
    }

    /** The next trigger of a periodic task after a run that ended at {@code now}. */
    long nextTrigger(long now) {
        return period > 0 ? triggerNanos + period : now - period;
    }

    ScheduledFuture<?> handOff() {
        return handOff;
    }

    void handOff(ScheduledFuture<?> future) {
        handOff = future;
    }

    /** Marks the task as taken by its owner; false when it already was (then it must be wrapped, not re-used). */
    boolean register() {
        if (registered) {
            return false;
        }
        registered = true;
        return true;
    }

    BackendScheduler owner() {
        return owner;
    }
}
