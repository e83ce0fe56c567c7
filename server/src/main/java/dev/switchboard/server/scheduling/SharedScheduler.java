package dev.switchboard.server.scheduling;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;

/**
 * The one pool behind every backend instance's {@code BackendContext.scheduler()}: a timer thread that only hands
 * due tasks over, and workers that run them. Each instance gets a {@linkplain #view view} of its own that runs its
 * tasks one at a time, so one backend never holds more than one worker; when every worker is busy (a plugin task
 * that blocks) the pool starts another rather than make other backends wait, and idle workers (the timer too)
 * end after the keep-alive. Costs threads in proportion to the tasks running at once, not to the backends.
 * Thread-safe.
 */
public final class SharedScheduler implements AutoCloseable {
    private static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(5);

    private final ScheduledThreadPoolExecutor timer;
    private final ThreadPoolExecutor workers;

    /**
     * Creates the pool; its threads start when needed.
     *
     * @param coreWorkers the workers kept until they idle for {@code keepAlive} (at least 1)
     * @param keepAlive how long an idle thread waits for work before it ends (positive)
     */
    public SharedScheduler(int coreWorkers, Duration keepAlive) {
        if (coreWorkers < 1) {
            throw new IllegalArgumentException("coreWorkers must be at least 1: " + coreWorkers);
        }
        long keepAliveNanos = requireNonNull(keepAlive, "keepAlive is null").toNanos();
        if (keepAliveNanos <= 0) {
            throw new IllegalArgumentException("keepAlive must be positive: " + keepAlive);
        }
        timer = new ScheduledThreadPoolExecutor(1, daemonThreads("backend-scheduler-timer"));
        timer.setRemoveOnCancelPolicy(true);
        timer.setKeepAliveTime(keepAliveNanos, TimeUnit.NANOSECONDS);
        // The timer's thread ends too when nothing is scheduled; scheduling again starts a new one.
        timer.allowCoreThreadTimeOut(true);
        // No queue: a task is handed to an idle worker or to a new one, never left waiting behind a busy one.
        workers = new ThreadPoolExecutor(coreWorkers, Integer.MAX_VALUE, keepAliveNanos, TimeUnit.NANOSECONDS,
                new SynchronousQueue<>(), daemonThreads("backend-scheduler-worker"));
        workers.allowCoreThreadTimeOut(true);
    }

    /** The production pool: as many core workers as the machine has processors, idle threads ending after 5 s. */
    public static SharedScheduler sizedToMachine() {
        return new SharedScheduler(Runtime.getRuntime().availableProcessors(), DEFAULT_KEEP_ALIVE);
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

    /** Runs {@code drain} on an idle worker, or on a new one when all are busy. */
    void runOnWorker(Runnable drain) {
        workers.execute(drain);
    }

    /** Whether {@link #close()} was called. */
    boolean isClosed() {
        return workers.isShutdown();
    }

    /** The threads alive now (timer and workers), for tests and diagnostics. */
    int threads() {
        return timer.getPoolSize() + workers.getPoolSize();
    }

    /** Stops the timer and interrupts every running task; views reject new work afterwards. */
    @Override
    public void close() {
        timer.shutdownNow();
        workers.shutdownNow();
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
}
