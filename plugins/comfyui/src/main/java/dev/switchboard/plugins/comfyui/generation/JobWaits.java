package dev.switchboard.plugins.comfyui.generation;

import static java.util.Objects.requireNonNull;

import dev.switchboard.api.generation.GenerationException;
import dev.switchboard.plugins.comfyui.connection.ComfyUiConnection;
import dev.switchboard.plugins.comfyui.connection.ComfyUiException;
import dev.switchboard.plugins.comfyui.connection.OperatorText;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How a job's thread waits: never longer than a deadline, and never past the job's cancellation (or an interrupt of
 * the thread), which ends the wait with {@link JobCancelled}.
 */
final class JobWaits {
    /** The calls have the same deadline themselves; this only stops a wait that would outlive a broken one. */
    private static final Duration GRACE = Duration.ofSeconds(1);

    private final ComfyUiConnection connection;
    private final CompletableFuture<Void> cancelled;

    JobWaits(ComfyUiConnection connection, CompletableFuture<Void> cancelled) {
        this.connection = requireNonNull(connection, "connection is null");
        this.cancelled = requireNonNull(cancelled, "cancelled is null");
    }

    /**
     * Waits for a call of the connection.
     *
     * @param what what ComfyUI did not do when the deadline passes, e.g. {@code accept the prompt}
     * @return the call's result
     * @throws GenerationException when the call failed (with the connection's message) or overran its deadline
     * @throws JobCancelled when the job was cancelled first; the call is left to finish
     */
    <T> T await(CompletableFuture<T> call, Duration deadline, String what) throws GenerationException, JobCancelled {
        try {
            CompletableFuture.anyOf(call, cancelled).get(deadline.plus(GRACE).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobCancelled();
        } catch (ExecutionException e) {
            // The call failed; connection.await below says how.
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new GenerationException("ComfyUI at " + connection.address() + " did not " + what + " within "
                    + OperatorText.describe(deadline) + ".");
        }
        if (!call.isDone()) {
            throw new JobCancelled();
        }
        try {
            return connection.await(call);
        } catch (ComfyUiException e) {
            throw new GenerationException(e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobCancelled();
        }
    }

    /** Pauses, unless the job is cancelled first. */
    void sleep(long millis) throws JobCancelled {
        try {
            cancelled.get(millis, TimeUnit.MILLISECONDS);
            throw new JobCancelled();
        } catch (TimeoutException e) {
            // Slept the whole pause.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobCancelled();
        } catch (ExecutionException e) {
            throw new JobCancelled();
        }
    }
}
