package dev.switchboard.server.backends;

import dev.switchboard.api.Backend;
import dev.switchboard.api.generation.GenerationException;
import dev.switchboard.api.generation.GenerationJob;
import dev.switchboard.api.generation.GenerationOutput;
import dev.switchboard.api.generation.ImageGenerator;
import dev.switchboard.server.plugins.Durations;
import dev.switchboard.server.plugins.PluginCallRunner;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One job slot held on a running backend, and the way to run a generation job on it. While claims are held, a
 * stop of the backend (edit, restart, delete, toggle off, server stop) tells their jobs why and waits for them, up
 * to its drain deadline. The slot goes back when the claim is closed and no plugin call of it is still running:
 * a generator that ignores a cancellation keeps its slot until it returns, so {@code max_usages} always holds.
 */
public final class BackendClaim implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BackendClaim.class);
    /** How long a cancelled generator may take to return before the job is answered without it. */
    private static final Duration CANCEL_GRACE = Duration.ofSeconds(10);

    private final BackendRecord record;
    private final Backend instance;
    private final PluginCallRunner runner;
    /** The owner's hold plus one per plugin call still running; the slot goes back at zero. */
    private int holds = 1;
    private boolean closed;

    BackendClaim(BackendRecord record, Backend instance, PluginCallRunner runner) {
        this.record = record;
        this.instance = instance;
        this.runner = runner;
    }

    /** @return the id of the claimed backend at the time of the call */
    public int backendId() {
        return record.id();
    }

    /** @return the claimed backend as it is now */
    public BackendSnapshot backend() {
        return record.snapshot(System.nanoTime());
    }

    /** @return whether the claimed instance makes images */
    public boolean canGenerate() {
        return instance instanceof ImageGenerator;
    }

    /** Records the model the backend now has loaded (after a job ran with it). */
    public void setCurrentModel(String model) {
        record.setCurrentModel(model);
    }

    /**
     * Runs one job on the claimed backend and returns once its images were delivered. The generator runs on a
     * plugin-call thread with the plugin's class loader; this thread waits. When the job's cancellation fires
     * (the caller cancels it, the backend stops, or {@code deadline} passes) the generator's listeners run and its
     * thread is interrupted; a generator that has not returned 10 s later is left behind
     * (keeping the slot) and the job ends.
     *
     * @throws JobFailedException when the job failed or was cancelled; the message is for the API client
     */
    public void generate(GenerationJob job, GenerationOutput output, Duration deadline) throws JobFailedException {
        if (!(instance instanceof ImageGenerator generator)) {
            throw new IllegalStateException(record + " does not generate");
        }
        String[] stopReason = new String[1];
        Consumer<String> onStop = reason -> {
            synchronized (stopReason) {
                stopReason[0] = reason;
            }
            job.cancellation().cancel("Backend " + backendId() + " stopped: " + reason);
        };
        if (!record.watchJob(instance, onStop)) {
            throw new JobFailedException("Backend " + backendId() + " is stopping.", null, false);
        }
        ClosingOutput gate = new ClosingOutput(output);
        CountDownLatch done = new CountDownLatch(1);
        Thread[] pluginThread = new Thread[1];
        Throwable[] failure = new Throwable[1];
        hold();
        try {
            runner.submit(record.type.classLoader(), () -> {
                synchronized (pluginThread) {
                    pluginThread[0] = Thread.currentThread();
                }
                try {
                    generator.generate(job, gate);
                } catch (Throwable e) {
                    failure[0] = e;
                } finally {
                    synchronized (pluginThread) {
                        pluginThread[0] = null;
                    }
                    gate.close();
                    // Before the waiter may go on: once it answers the client the slot must already be free.
                    unhold();
                    done.countDown();
                }
                return null;
            });
        } catch (RuntimeException e) {
            unhold();
            record.jobs.unwatch(onStop);
            throw new JobFailedException("Something went wrong while generating images.", e, false);
        }
        boolean timedOut;
        try {
            timedOut = awaitOrCancel(job, done, deadline, pluginThread);
        } finally {
            record.jobs.unwatch(onStop);
        }
        String stopped;
        synchronized (stopReason) {
            stopped = stopReason[0];
        }
        if (stopped != null) {
            throw new JobFailedException(record.redactor.redact("Backend " + backendId() + " stopped while running the job: "
                    + stopped), null, false);
        }
        if (job.cancellation().isCancelled()) {
            throw new JobFailedException(job.cancellation().reason(), null, !timedOut);
        }
        if (done.getCount() > 0) {
            throw new JobFailedException("The job did not end on " + record + ".", null, false);
        }
        Throwable error = failure[0];
        if (error instanceof GenerationException generation) {
            throw new JobFailedException(record.redactor.redact(generation.getMessage()), generation, false);
        }
        if (error != null) {
            LOG.error("A job on {} failed", record, error);
            throw new JobFailedException("Something went wrong while generating images.", error, false);
        }
    }

    /** Waits for the generator, cancelling it at the deadline. @return whether the deadline cancelled it */
    private static boolean awaitOrCancel(GenerationJob job, CountDownLatch done, Duration deadline,
                                         Thread[] pluginThread) {
        boolean timedOut = false;
        long end = System.nanoTime() + deadline.toNanos();
        CountDownLatch cancelled = new CountDownLatch(1);
        job.cancellation().onCancel(cancelled::countDown);
        try {
            while (!done.await(Math.min(100, remainingMillis(end)), TimeUnit.MILLISECONDS)) {
                if (System.nanoTime() - end >= 0 && !job.cancellation().isCancelled()) {
                    timedOut = true;
                    job.cancellation().cancel("The job did not finish within " + Durations.describe(deadline) + ".");
                }
                if (cancelled.getCount() == 0) {
                    synchronized (pluginThread) {
                        if (pluginThread[0] != null) {
                            pluginThread[0].interrupt();
                        }
                    }
                    done.await(CANCEL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
                    return timedOut;
                }
            }
        } catch (InterruptedException e) {
            job.cancellation().cancel("Generation session interrupted.");
            Thread.currentThread().interrupt();
        }
        return timedOut;
    }

    private static long remainingMillis(long endNanos) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(endNanos - System.nanoTime()));
    }

    private synchronized void hold() {
        holds++;
    }

    private void unhold() {
        boolean last;
        synchronized (this) {
            holds--;
            last = holds == 0;
        }
        if (last) {
            record.jobs.release(System.nanoTime());
        }
    }

    /** Gives the slot back (at once, or when the last plugin call of this claim returns). Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        unhold();
    }

    /** Hands calls to the job's output until the generator returned, then drops them. */
    private static final class ClosingOutput implements GenerationOutput {
        private final GenerationOutput target;
        private volatile boolean open = true;

        ClosingOutput(GenerationOutput target) {
            this.target = target;
        }

        void close() {
            open = false;
        }

        @Override
        public void progress(double overall, double current) {
            if (open) {
                target.progress(overall, current);
            }
        }

        @Override
        public void preview(byte[] image, String mediaType) {
            if (open) {
                target.preview(image, mediaType);
            }
        }

        @Override
        public void image(byte[] data, String mediaType) {
            if (open) {
                target.image(data, mediaType);
            }
        }
    }
}
