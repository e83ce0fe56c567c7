package dev.switchboard.server.scheduling;

import static java.util.Objects.requireNonNull;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * The scheduler of one backend instance, over the {@link SharedScheduler}: behaves as a single-thread
 * {@link java.util.concurrent.ScheduledThreadPoolExecutor} would (tasks one at a time, in the order they become
 * due; a periodic task that throws stops repeating; {@link #shutdown()} cancels periodic tasks and lets delayed
 * one-shot tasks run), except that its tasks share the pool's threads, run with the plugin's class loader and
 * under the backend's thread name, and {@link #shutdownNow()} cancels every task of this view, interrupting the
 * running one, and no other view's. Thread-safe.
 */
final class BackendScheduler extends AbstractExecutorService implements ScheduledExecutorService {
    /** Longer delays are cut to this (about 146 years), so trigger arithmetic never overflows. */
    private static final long MAX_DELAY_NANOS = Long.MAX_VALUE >> 1;

    private final SharedScheduler pool;
    private final String name;
    private final ClassLoader loader;
    private final Logger logger;
    private final Object lock = new Object();

    // Guarded by lock.
    /** Every task not yet done: waiting for its time, due, or running. */
    private final Set<ScheduledTask<?>> tasks = new HashSet<>();
    /** The tasks whose time has come, in the order it came; run one at a time by a single drain. */
    private final ArrayDeque<ScheduledTask<?>> due = new ArrayDeque<>();
    private ScheduledTask<?> running;
    private boolean draining;
    private boolean shutdown;

    BackendScheduler(SharedScheduler pool, String name, ClassLoader loader, Logger logger) {
        this.pool = requireNonNull(pool, "pool is null");
        this.name = requireNonNull(name, "name is null");
        this.loader = loader;
        this.logger = requireNonNull(logger, "logger is null");
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return enqueue(new ScheduledTask<Void>(this, requireNonNull(command, "command is null"), null, 0, false),
                triggerAfter(delay, unit));
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return enqueue(new ScheduledTask<>(this, requireNonNull(callable, "callable is null"), false),
                triggerAfter(delay, unit));
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        if (period <= 0) {
            throw new IllegalArgumentException("period must be positive: " + period);
        }
        return enqueue(new ScheduledTask<Void>(this, requireNonNull(command, "command is null"), null,
                Math.min(unit.toNanos(period), MAX_DELAY_NANOS), true), triggerAfter(initialDelay, unit));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        if (delay <= 0) {
            throw new IllegalArgumentException("delay must be positive: " + delay);
        }
        return enqueue(new ScheduledTask<Void>(this, requireNonNull(command, "command is null"), null,
                -Math.min(unit.toNanos(delay), MAX_DELAY_NANOS), true), triggerAfter(initialDelay, unit));
    }

    /** Runs {@code command} now, after the tasks already due; a failure is logged (no one else would see it). */
    @Override
    public void execute(Runnable command) {
        requireNonNull(command, "command is null");
        // submit() and invokeAll() come here with the task newTaskFor made: it is queued itself, so its future
        // is the one cancelled by shutdownNow().
        ScheduledTask<?> task = command instanceof ScheduledTask<?> own && own.owner() == this ? own
                : new ScheduledTask<Void>(this, command, null, 0, true);
        enqueue(task, System.nanoTime());
    }

    @Override
    protected <T> RunnableFuture<T> newTaskFor(Runnable runnable, T value) {
        return new ScheduledTask<>(this, runnable, value, 0, false);
    }

    @Override
    protected <T> RunnableFuture<T> newTaskFor(Callable<T> callable) {
        return new ScheduledTask<>(this, callable, false);
    }

    @Override
    public void shutdown() {
        List<ScheduledTask<?>> periodic = new ArrayList<>();
        synchronized (lock) {
            shutdown = true;
            for (ScheduledTask<?> task : tasks) {
                if (task.isPeriodic()) {
                    periodic.add(task);
                }
            }
            lock.notifyAll();
        }
        for (ScheduledTask<?> task : periodic) {
            task.cancel(false);
        }
    }

    /** Cancels every task of this scheduler, interrupting the one running; returns those that never started. */
    @Override
    public List<Runnable> shutdownNow() {
        List<ScheduledTask<?>> all;
        ScheduledTask<?> current;
        synchronized (lock) {
            shutdown = true;
            all = new ArrayList<>(tasks);
            current = running;
            lock.notifyAll();
        }
        List<Runnable> neverStarted = new ArrayList<>();
        for (ScheduledTask<?> task : all) {
            if (task != current) {
                neverStarted.add(task);
            }
            // Interrupts the thread only while it runs this very task: other backends' tasks are never hit.
            task.cancel(true);
        }
        return neverStarted;
    }

    @Override
    public boolean isShutdown() {
        synchronized (lock) {
            return shutdown;
        }
    }

    @Override
    public boolean isTerminated() {
        synchronized (lock) {
            return shutdown && tasks.isEmpty();
        }
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (lock) {
            while (!(shutdown && tasks.isEmpty())) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return true;
        }
    }

    @Override
    public String toString() {
        return name;
    }

    private <T> ScheduledTask<T> enqueue(ScheduledTask<T> task, long trigger) {
        synchronized (lock) {
            if (shutdown) {
                throw new RejectedExecutionException(name + " is shut down");
            }
            if (!task.register()) {
                throw new RejectedExecutionException("That task was already given to " + name);
            }
            task.trigger(trigger);
            tasks.add(task);
            try {
                task.handOff(pool.at(trigger, () -> becameDue(task)));
            } catch (RejectedExecutionException e) {
                tasks.remove(task);
                throw new RejectedExecutionException("The server is stopping", e);
            }
        }
        return task;
    }

    /** On the timer thread: queues the task and starts a drain unless one is on; never blocks. */
    private void becameDue(ScheduledTask<?> task) {
        synchronized (lock) {
            task.handOff(null);
            if (task.isDone()) {
                forget(task);
                return;
            }
            due.add(task);
            if (draining) {
                return;
            }
            draining = true;
        }
        try {
            pool.runOnWorker(this::drain);
        } catch (RuntimeException | Error e) {
            synchronized (lock) {
                draining = false;
            }
            if (pool.isClosed()) {
                shutdownNow();
            } else {
                // No thread could be started (out of memory or threads): the next task that comes due tries again.
                logger.error("Could not start a thread for the tasks of {}", name, e);
            }
        }
    }

    /** On a worker: runs the due tasks one after the other, as this backend's thread, until none is left. */
    private void drain() {
        Thread thread = Thread.currentThread();
        String idleName = thread.getName();
        thread.setName(name);
        try {
            while (true) {
                ScheduledTask<?> next;
                synchronized (lock) {
                    next = due.poll();
                    if (next == null) {
                        draining = false;
                        return;
                    }
                    running = next;
                }
                // An interrupt that cancelled the previous task must not hit the next one, nor a loader it set.
                Thread.interrupted();
                thread.setContextClassLoader(loader);
                try {
                    next.run();
                } finally {
                    synchronized (lock) {
                        running = null;
                        if (next.isDone()) {
                            forget(next);
                        }
                    }
                }
            }
        } finally {
            Thread.interrupted();
            thread.setContextClassLoader(null);
            thread.setName(idleName);
        }
    }

    /** After a periodic run that ended normally: its next run, unless this scheduler was shut down meanwhile. */
    void runAgain(ScheduledTask<?> task) {
        synchronized (lock) {
            if (!shutdown) {
                long next = task.nextTrigger(System.nanoTime());
                task.trigger(next);
                try {
                    task.handOff(pool.at(next, () -> becameDue(task)));
                    return;
                } catch (RejectedExecutionException e) {
                    // The server is stopping: the task ends below.
                }
            }
        }
        task.cancel(false);
    }

    /** A task was cancelled: it leaves the timer and the queue; a running one is forgotten once it returns. */
    void cancelled(ScheduledTask<?> task) {
        synchronized (lock) {
            ScheduledFuture<?> handOff = task.handOff();
            if (handOff != null) {
                handOff.cancel(false);
                task.handOff(null);
            }
            due.remove(task);
            if (task != running) {
                forget(task);
            }
        }
    }

    void failed(ScheduledTask<?> task, Throwable failure) {
        if (task.isPeriodic()) {
            logger.warn("A periodic task on {} failed and will not run again", name, failure);
        } else {
            logger.warn("A task on {} failed", name, failure);
        }
    }

    // Under lock.
    private void forget(ScheduledTask<?> task) {
        if (tasks.remove(task) && shutdown && tasks.isEmpty()) {
            lock.notifyAll();
        }
    }

    private static long triggerAfter(long delay, TimeUnit unit) {
        return System.nanoTime() + Math.min(unit.toNanos(Math.max(0, delay)), MAX_DELAY_NANOS);
    }
}
