package dev.switchboard.testkit.contract;

import static org.junit.jupiter.api.Assertions.fail;

import dev.switchboard.api.generation.Cancellation;
import dev.switchboard.api.generation.GenerationJob;
import dev.switchboard.api.generation.GenerationParameters;
import dev.switchboard.api.generation.ImageGenerator;
import dev.switchboard.testkit.backends.RecordingGenerationOutput;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One job given to a generator on a thread of its own, as the host gives it: a fresh {@link Cancellation}, an
 * output that ignores calls once {@code generate} has returned, and what {@code generate} threw.
 */
final class JobRun {
    private final GenerationJob job;
    private final RecordingGenerationOutput output = new RecordingGenerationOutput();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;

    private JobRun(ImageGenerator generator, GenerationParameters parameters) {
        this.job = new GenerationJob("contract-" + UUID.randomUUID(), parameters, Cancellation.create());
        this.thread = new Thread(() -> {
            try {
                generator.generate(job, output);
            } catch (Throwable e) {
                failure.set(e);
            } finally {
                output.close();
            }
        }, "contract-generate");
        thread.setDaemon(true);
    }

    static JobRun start(ImageGenerator generator, GenerationParameters parameters) {
        JobRun run = new JobRun(generator, parameters);
        run.thread.start();
        return run;
    }

    GenerationJob job() {
        return job;
    }

    RecordingGenerationOutput output() {
        return output;
    }

    /** Waits for {@code generate} to return or throw; false when it still runs after {@code patience}. */
    boolean awaitEnd(Duration patience) throws InterruptedException {
        thread.join(Math.max(1, patience.toMillis()));
        return !thread.isAlive();
    }

    /**
     * Cancels the job as the host does: runs the cancellation's listeners on a thread of the host (here, one of
     * the test's), then interrupts the generating thread.
     *
     * @return the cancelling thread, for the caller to wait on
     */
    Thread cancel(String reason) {
        Thread canceller = new Thread(() -> {
            job.cancellation().cancel(reason);
            thread.interrupt();
        }, "contract-cancel");
        canceller.setDaemon(true);
        canceller.start();
        return canceller;
    }

    /** Waits for a job that must succeed: fails the test when it overruns (cancelling it) or threw. */
    void awaitSuccess(Duration patience, String what) throws InterruptedException {
        if (!awaitEnd(patience)) {
            cancel("The contract test's deadline passed.");
            fail("generate() did not return within " + patience + " (" + what + "); give a faster job with"
                    + " generationParameters(), or a longer generationTimeout()");
        }
        Throwable thrown = failure.get();
        if (thrown != null) {
            throw new AssertionError("generate() failed (" + what + "): " + thrown, thrown);
        }
    }

    /** @return what {@code generate} threw, or null */
    Throwable failure() {
        return failure.get();
    }
}
