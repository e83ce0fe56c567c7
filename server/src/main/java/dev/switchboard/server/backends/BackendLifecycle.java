package dev.switchboard.server.backends;

import dev.switchboard.api.Backend;
import dev.switchboard.api.BackendContext;
import dev.switchboard.api.InitMode;
import dev.switchboard.server.backends.BackendRecord.Incarnation;
import dev.switchboard.server.plugins.Durations;
import dev.switchboard.server.plugins.PluginCallException;
import dev.switchboard.server.plugins.PluginCallRunner.PluginCall;
import dev.switchboard.server.plugins.PluginCallRunner;
import dev.switchboard.server.scheduling.SharedScheduler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives backends through initialisation and shutdown: the init lanes (parallel, and one serial lane shared
 * by all serial types), retries with backoff, deadlines on every plugin call, and clean shutdown.
 *
 * <p>At most one init is pending per backend: each attempt carries the generation it was started for and
 * does nothing once the record has moved to a newer generation (edit, toggle, restart, delete).
 */
final class BackendLifecycle implements AutoCloseable {
    private static final long IDLE_THREAD_SECONDS = 5;
    /**
     * Parallel inits at once. Each holds a lane thread and a plugin-call thread, and thousands of backends become
     * due together at start-up: unbounded, 2,000 of them took 682 threads. An init mostly waits on its engine, so
     * a few per core keep the engines busy; one slow init holds one of them, the others go on.
     */
    static final int PARALLEL_INITS = Math.max(8, 4 * Runtime.getRuntime().availableProcessors());
    private static final Logger LOG = LoggerFactory.getLogger(BackendLifecycle.class);

    private final PluginCallRunner runner;
    private final ServerIdentity identity;
    private final LifecycleOptions options;
    private final Path workRoot;
    private final ChildBackendHost children;
    private final InitListener inits;
    private final ExecutorService parallelLane;
    private final ExecutorService stopLane;
    private final ExecutorService serialLane;
    private final ScheduledExecutorService retryTimer;
    private final SharedScheduler schedulers;

    BackendLifecycle(PluginCallRunner runner, ServerIdentity identity, LifecycleOptions options, Path workRoot,
                     BackendRegistry registry, InitListener inits, SharedScheduler schedulers) {
        this.runner = runner;
        this.schedulers = schedulers;
        this.inits = inits;
        this.identity = identity;
        this.options = options;
        this.workRoot = workRoot;
        this.children = new ChildBackendHost(registry, this, options.usageDrainTimeout());
        // A burst of inits (thousands at start-up) queues for PARALLEL_INITS threads, which end 5 s after it
        // rather than keeping idle threads (and their stacks) for the default minute.
        ThreadPoolExecutor initPool = new ThreadPoolExecutor(PARALLEL_INITS, PARALLEL_INITS, IDLE_THREAD_SECONDS,
                TimeUnit.SECONDS, new LinkedBlockingQueue<>(), daemonThreads("backend-init"));
        initPool.allowCoreThreadTimeOut(true);
        this.parallelLane = initPool;
        // Stops run at once on a thread of their own (they may wait for running jobs to drain), never behind inits.
        this.stopLane = new ThreadPoolExecutor(0, Integer.MAX_VALUE, IDLE_THREAD_SECONDS, TimeUnit.SECONDS,
                new SynchronousQueue<>(), daemonThreads("backend-stop"));
        this.serialLane = Executors.newSingleThreadExecutor(daemonThreads("backend-serial-init"));
        this.retryTimer = Executors.newSingleThreadScheduledExecutor(daemonThreads("backend-retry-timer"));
    }

    /**
     * Starts a new incarnation: status {@code waiting}, a new instance created right away (so what it
     * advertises on creation, such as its features, shows at once), then its init queued in the type's lane.
     */
    void startInit(BackendRecord record) {
        long generation = record.beginIncarnation();
        Prepared prepared = prepare(record, generation);
        if (prepared != null) {
            enqueue(record, () -> initialise(record, generation, prepared));
        }
    }

    /**
     * Stops the current incarnation: supersedes pending inits, waits for in-flight work up to the drain
     * deadline, removes non-real children, calls the instance's shutdown under its deadline and interrupts an
     * init still running. Afterwards the status is {@code disabled} with {@code message}, except that an
     * {@code errored} backend stays errored when {@code keepErrored}.
     */
    void stop(BackendRecord record, boolean keepErrored, String message, Duration drain) {
        finishStop(record, record.takeOver(), keepErrored, message, drain);
    }

    /**
     * A plugin reported that its backend failed ({@link dev.switchboard.api.BackendContext#fail}): errored at
     * once with the reason, no retry; the instance is shut down on a lifecycle thread.
     */
    void failedByPlugin(BackendRecord record, long generation, String reason) {
        Incarnation taken = record.failedByPlugin(generation, reason);
        if (taken == null) {
            return;
        }
        LOG.error("{} failed: {}", record, reason);
        stopLaneOrDirect(() -> finishStop(record, taken, true, reason, options.usageDrainTimeout()));
    }

    private void finishStop(BackendRecord record, Incarnation taken, boolean keepErrored, String message,
                            Duration drain) {
        try {
            // Running jobs end now with the reason, rather than run on for a backend that is going away.
            for (Consumer<String> job : taken.runningJobs()) {
                job.accept(message);
            }
            int stillRunning = record.jobs.awaitNone(drain.toNanos());
            if (stillRunning > 0) {
                LOG.warn("{} still has {} job(s) running after {}; shutting it down anyway", record, stillRunning,
                        Durations.describe(drain));
            }
            children.removeChildrenOf(record);
            if (taken.context() != null) {
                taken.context().retire();
            }
            // Interrupt a running init (and keep a queued one from starting) before asking the instance to stop.
            if (taken.init() != null) {
                taken.init().cancel();
            }
            if (taken.instance() != null) {
                shutdownInstance(record, taken.instance());
            }
        } finally {
            record.stopFinished(taken, keepErrored, message);
        }
    }

    private void enqueue(BackendRecord record, Runnable task) {
        ExecutorService lane = record.type.initMode() == InitMode.SERIAL ? serialLane : parallelLane;
        try {
            lane.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.debug("Not initialising {}: the server is stopping", record);
        }
    }

    /** One retry: a fresh instance, then its init. */
    private void runAttempt(BackendRecord record, long generation) {
        Prepared prepared = prepare(record, generation);
        if (prepared != null) {
            initialise(record, generation, prepared);
        }
    }

    /**
     * Creates the instance for one attempt and makes it the record's current one. Returns null when there is
     * nothing to initialise: the generation moved on, the backend is disabled, or creating failed (handled).
     */
    private Prepared prepare(BackendRecord record, long generation) {
        InstanceContext[] created = new InstanceContext[1];
        OptionalInt attempt = record.beginAttempt(generation, number -> {
            created[0] = new InstanceContext(record, identity, workRoot.resolve(Integer.toString(record.id())),
                    children.handleFor(record, generation), options.startTimeout(), schedulers,
                    reason -> failedByPlugin(record, generation, reason));
            return created[0];
        });
        if (attempt.isEmpty()) {
            return null;
        }
        inits.attempted(record.type.id());
        InstanceContext context = created[0];
        Backend instance;
        try {
            Function<BackendContext, Backend> factory = record.childFactory != null
                    ? record.childFactory : record.type.type()::create;
            instance = runner.call(record.type.classLoader(), "Creating the backend", options.callTimeout(),
                    () -> factory.apply(context));
            if (instance == null) {
                throw new PluginCallException("The plugin created no backend instance", null, false);
            }
        } catch (PluginCallException e) {
            failed(record, generation, context, null, attempt.getAsInt(), e);
            return null;
        }
        if (!record.adoptInstance(generation, instance)) {
            context.retire();
            retireAsync(record, instance);
            return null;
        }
        return new Prepared(context, instance, attempt.getAsInt());
    }

    /** Runs the prepared instance's init under its deadline and settles the outcome. */
    private void initialise(BackendRecord record, long generation, Prepared prepared) {
        Backend instance = prepared.instance();
        // Superseded while queued: whoever started the newer incarnation took the instance over.
        PluginCall<Void> call = record.startInit(generation, () -> runner.submit(record.type.classLoader(), () -> {
            instance.init();
            return null;
        }));
        if (call == null) {
            return;
        }
        try {
            call.await("Initialisation", record.type.initTimeout());
        } catch (PluginCallException e) {
            failed(record, generation, prepared.context(), instance, prepared.attempt(), e);
            return;
        } finally {
            record.initEnded(call);
        }
        if (record.initSucceeded(generation)) {
            LOG.info("{} is {}", record, record.status().wireName());
        }
    }

    private void failed(BackendRecord record, long generation, InstanceContext context, Backend instance, int attempt,
                        PluginCallException error) {
        boolean current = record.dropFailedInstance(generation, instance);
        context.retire();
        // Superseded: whoever started the newer incarnation took the instance over and shuts it down.
        if (!current) {
            return;
        }
        inits.failed(record.type.id(), error.timedOut());
        if (instance != null) {
            shutdownInstance(record, instance);
        }
        String reason = error.getMessage();
        // A hung init is a plugin fault that retrying will not fix; other failures may be transient.
        if (!error.timedOut() && attempt <= options.initRetries()) {
            Duration delay = options.retryDelay(attempt);
            if (record.attemptFailed(generation, "Attempt " + attempt + " of " + (options.initRetries() + 1)
                    + " failed: " + reason + " Retrying in " + Durations.describe(delay) + ".")) {
                LOG.warn("{} failed to initialise (attempt {}): {}", record, attempt, reason);
                try {
                    retryTimer.schedule(() -> enqueue(record, () -> runAttempt(record, generation)), delay.toMillis(),
                            TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException e) {
                    LOG.debug("Not retrying {}: the server is stopping", record);
                }
            }
        } else if (record.gaveUp(generation, error.timedOut() ? reason + "."
                : attempt > 1 ? reason + " (gave up after " + attempt + " attempts)" : reason)) {
            LOG.error("{} errored: {}", record, reason);
            LOG.debug("Cause of the failure of {}", record, error.getCause());
        }
    }

    private void shutdownInstance(BackendRecord record, Backend instance) {
        try {
            runner.call(record.type.classLoader(), "Shutdown", options.shutdownTimeout(), () -> {
                instance.shutdown();
                return null;
            });
        } catch (PluginCallException e) {
            LOG.warn("Shutting down {} failed: {}", record, e.getMessage(), e.getCause());
        }
    }

    // An instance created for a generation that was superseded meanwhile: release it without blocking.
    private void retireAsync(BackendRecord record, Backend instance) {
        stopLaneOrDirect(() -> shutdownInstance(record, instance));
    }

    private void stopLaneOrDirect(Runnable task) {
        try {
            stopLane.execute(task);
        } catch (RejectedExecutionException e) {
            task.run();
        }
    }

    @Override
    public void close() {
        retryTimer.shutdownNow();
        serialLane.shutdownNow();
        parallelLane.shutdownNow();
        stopLane.shutdownNow();
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private record Prepared(InstanceContext context, Backend instance, int attempt) {
    }

}
