package dev.switchboard.server.scheduling;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;

/**
 * The one pool behind every backend instance's {@code BackendContext.scheduler()}: a timer thread that only hands
 * due tasks over, and workers that run them. Each instance gets a {@linkplain #view view} of its own that runs its
 * tasks one at a time, so one backend never holds more than one worker.
 *
 * <p>The workers are bounded, and a task that blocks does not use up the bound: at most {@code workers} threads
 * run tasks that are making progress, and more wait in a queue; a worker whose task has run for
 * {@code blockedAfter} while its thread waits (on a lock, a future, a sleep), or ten times that however it looks
 * (a blocking socket read looks runnable), counts as blocked, and the pool starts another in its place. So a plugin
 * task that blocks delays other backends' tasks by about {@code blockedAfter}, not for as long as it blocks, while
 * a machine too busy to run the short tasks quickly (they stay runnable) gets no more threads than the bound. Idle
 * workers, and the timer, end after the keep-alive. Thread-safe.
 */
public final class SharedScheduler implements AutoCloseable {
    private static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(5);
    private static final Duration DEFAULT_BLOCKED_AFTER = Duration.ofMillis(100);
    /** A runnable thread that has not come back after this many times {@code blockedAfter} counts as blocked too. */
    private static final int RUNNABLE_BLOCKED_FACTOR = 10;

    private final ScheduledThreadPoolExecutor timer;
    private final int workerLimit;
    private final long keepAliveNanos;
    private final long blockedAfterNanos;
    private final ThreadFactory threads = daemonThreads("backend-scheduler-worker");
    private final Object lock = new Object();

    // Guarded by lock.
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    private final List<Worker> workers = new ArrayList<>();
    private int idle;
    private boolean checkScheduled;
    private boolean closed;

    /**
     * Creates the pool; its threads start when needed.
     *
     * @param workers how many workers run tasks at once, not counting those blocked (at least 1)
     * @param keepAlive how long an idle thread waits for work before it ends (positive)
     * @param blockedAfter how long a task may wait on something before its worker counts as blocked (positive)
     */
    public SharedScheduler(int workers, Duration keepAlive, Duration blockedAfter) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1: " + workers);
        }
        this.workerLimit = workers;
        this.keepAliveNanos = positiveNanos(keepAlive, "keepAlive");
        this.blockedAfterNanos = positiveNanos(blockedAfter, "blockedAfter");
        timer = new ScheduledThreadPoolExecutor(1, daemonThreads("backend-scheduler-timer"));
        timer.setRemoveOnCancelPolicy(true);
        timer.setKeepAliveTime(keepAliveNanos, TimeUnit.NANOSECONDS);
        // The timer's thread ends too when nothing is scheduled; scheduling again starts a new one.
        timer.allowCoreThreadTimeOut(true);
    }

    /**
     * The production pool: twice as many workers as the machine has processors (at least 4), a worker counted as
     * blocked after 100 ms, idle threads ending after 5 s.
     */
    public static SharedScheduler sizedToMachine() {
        return new SharedScheduler(Math.max(4, 2 * Runtime.getRuntime().availableProcessors()), DEFAULT_KEEP_ALIVE,
                DEFAULT_BLOCKED_AFTER);
    }

    /**
     * Makes the scheduler of one backend instance.
     *
     * @param name the thread name its tasks run under, e.g. {@code backend-3-scheduler}
     * @param loader the context class loader its tasks run with (the plugin's)
     * @param logger where the failures of its periodic tasks, and of tasks given to {@code execute}, are logged
     * @return a new, running scheduler; shutting it down stops only its own tasks
     */
    public ScheduledExecutorService view(String name, ClassLoader loader, Logger logger) {
        return new BackendScheduler(this, name, loader, logger);
    }

    /** Runs {@code handOff} on the timer thread at {@code triggerNanos} ({@link System#nanoTime()} based). */
    ScheduledFuture<?> at(long triggerNanos, Runnable handOff) {
        return timer.schedule(handOff, triggerNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    /**
     * Runs {@code drain} on an idle worker, on a new one while fewer than the bound make progress, or else as soon
     * as a worker is free or counts as blocked.
     *
     * @throws RejectedExecutionException when the pool is closed, or no thread could be started for it (then it
     *     is not queued either)
     */
    void runOnWorker(Runnable drain) {
        requireNonNull(drain, "drain is null");
        synchronized (lock) {
            if (closed) {
                throw new RejectedExecutionException("The scheduler is closed");
            }
            waiting.add(drain);
            if (waiting.size() <= idle) {
                lock.notify();
                return;
            }
            if (progressing(System.nanoTime()) < workerLimit) {
                try {
                    startWorker();
                } catch (RuntimeException | Error e) {
                    waiting.removeLastOccurrence(drain);
                    throw new RejectedExecutionException("Could not start a scheduler thread", e);
                }
                return;
            }
            scheduleCheck();
        }
    }

    /** Whether {@link #close()} was called. */
    boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    /** The threads alive now (timer and workers), for tests and diagnostics. */
    int threads() {
        synchronized (lock) {
            return timer.getPoolSize() + workers.size();
        }
    }

    /** Stops the timer and interrupts every running task; views reject new work afterwards. */
    @Override
    public void close() {
        timer.shutdownNow();
        synchronized (lock) {
            closed = true;
            waiting.clear();
            for (Worker worker : workers) {
                worker.thread.interrupt();
            }
            lock.notifyAll();
        }
    }

    // Under lock.
    private int progressing(long now) {
        int progressing = 0;
        for (Worker worker : workers) {
            if (!worker.blocked(now)) {
                progressing++;
            }
        }
        return progressing;
    }

    // Under lock.
    private void startWorker() {
        Worker worker = new Worker();
        worker.thread = threads.newThread(worker);
        workers.add(worker);
        try {
            worker.thread.start();
        } catch (RuntimeException | Error e) {
            workers.remove(worker);
            throw e;
        }
    }

    /** Under lock: looks again when the first busy worker that still counts as progressing would count as blocked. */
    private void scheduleCheck() {
        if (checkScheduled || closed) {
            return;
        }
        long now = System.nanoTime();
        long earliest = Long.MAX_VALUE;
        for (Worker worker : workers) {
            if (worker.busy && !worker.blocked(now)) {
                earliest = Math.min(earliest, worker.nextLook(now));
            }
        }
        if (earliest == Long.MAX_VALUE) {
            // Every worker counts as blocked or is idle: an idle one takes the next task, or the bound allows more.
            earliest = now + blockedAfterNanos;
        }
        try {
            timer.schedule(this::check, Math.max(0, earliest - now), TimeUnit.NANOSECONDS);
            checkScheduled = true;
        } catch (RejectedExecutionException e) {
            // Closing: nothing is run any more.
        }
    }

    /** On the timer: starts workers in place of those now blocked, while tasks wait for one. */
    private void check() {
        synchronized (lock) {
            checkScheduled = false;
            int progressing = progressing(System.nanoTime());
            int started = 0;
            while (!closed && started < waiting.size() - idle && progressing + started < workerLimit) {
                try {
                    startWorker();
                } catch (RuntimeException | Error e) {
                    // Out of threads: the tasks wait for a worker to come back, and the next check tries again.
                    break;
                }
                started++;
            }
            if (waiting.size() > idle + started) {
                scheduleCheck();
            }
        }
    }

    private static long positiveNanos(Duration duration, String name) {
        long nanos = requireNonNull(duration, name + " is null").toNanos();
        if (nanos <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + duration);
        }
        return nanos;
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            // Set per task by the view; none between tasks, so an idle thread pins no plugin's class loader.
            thread.setContextClassLoader(null);
            return thread;
        };
    }

    /** One worker thread: takes the waiting drains one after the other, ends after the keep-alive without one. */
    private final class Worker implements Runnable {
        // Set before the thread starts, under lock.
        private Thread thread;
        // Guarded by lock.
        private boolean busy;
        private long busySince;

        /** Under lock. */
        boolean blocked(long now) {
            if (!busy) {
                return false;
            }
            long busyFor = now - busySince;
            if (busyFor >= RUNNABLE_BLOCKED_FACTOR * blockedAfterNanos) {
                return true;
            }
            return busyFor >= blockedAfterNanos && thread.getState() != Thread.State.RUNNABLE;
        }

        /** Under lock: when this busy, not yet blocked worker should be looked at again. */
        long nextLook(long now) {
            long waitingFrom = busySince + blockedAfterNanos;
            return waitingFrom > now ? waitingFrom : busySince + RUNNABLE_BLOCKED_FACTOR * blockedAfterNanos;
        }

        @Override
        public void run() {
            boolean normalEnd = false;
            try {
                Runnable next;
                while ((next = take()) != null) {
                    try {
                        next.run();
                    } finally {
                        synchronized (lock) {
                            busy = false;
                        }
                    }
                }
                normalEnd = true;
            } finally {
                if (!normalEnd) {
                    // A drain that threw (it never should) ends this thread; what waits gets another one.
                    synchronized (lock) {
                        workers.remove(this);
                        if (!closed && waiting.size() > idle) {
                            scheduleCheck();
                        }
                    }
                }
            }
        }

        /**
         * The next drain, or null once the pool is closed or this worker idled for the keep-alive; then it has left
         * the workers, in the same step, so a task queued meanwhile never counts on it.
         */
        private Runnable take() {
            synchronized (lock) {
                long idleSince = System.nanoTime();
                while (!closed) {
                    Runnable next = waiting.poll();
                    if (next != null) {
                        busy = true;
                        busySince = System.nanoTime();
                        return next;
                    }
                    long left = keepAliveNanos - (System.nanoTime() - idleSince);
                    if (left <= 0) {
                        break;
                    }
                    idle++;
                    try {
                        TimeUnit.NANOSECONDS.timedWait(lock, left);
                    } catch (InterruptedException e) {
                        // An interrupt meant for the task just ended (a late cancel) or for closing: looked at above.
                    } finally {
                        idle--;
                    }
                }
                workers.remove(this);
                return null;
            }
        }
    }
}
