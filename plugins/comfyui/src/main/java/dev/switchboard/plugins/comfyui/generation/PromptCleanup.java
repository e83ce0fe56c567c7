package dev.switchboard.plugins.comfyui.generation;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.switchboard.plugins.comfyui.connection.ComfyUiConnection;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * Takes a job's prompt off ComfyUI after the job stopped early (cancelled, failed, or its socket broke), without
 * holding the job's thread: delete it from the queue (first, so it cannot start between a look at the queue and
 * the delete; a no-op for a prompt that already runs), interrupt it only when ComfyUI's queue (or, when ComfyUI
 * cannot say, the job's socket) shows it running, wait until it ended, then delete its history entry. Every call
 * has a deadline; failures are only logged. The job's socket is closed at the end.
 */
final class PromptCleanup {
    private static final long POLL_MILLIS = 200;

    private PromptCleanup() {
    }

    /**
     * Starts the cleanup.
     *
     * @param connection the connection to ComfyUI
     * @param promptId the prompt
     * @param runningAsFarAsKnown whether the socket saw the prompt start and not end
     * @param socket the job's socket events, for the prompt's end
     * @param webSocket the job's socket, closed at the end; null when none is open
     * @param timeouts the deadlines
     * @param log where failures go
     * @return completes when the cleanup ended
     */
    static CompletableFuture<Void> start(ComfyUiConnection connection, String promptId, boolean runningAsFarAsKnown,
            JobSocket socket, WebSocket webSocket, JobTimeouts timeouts, Logger log) {
        long giveUpAt = System.nanoTime() + timeouts.interruptWait().toNanos();
        CompletableFuture<Void> done = connection.deleteFromQueue(promptId, timeouts.check())
                .handle((ok, failure) -> logged(log, "delete prompt " + promptId + " from the queue", failure))
                .thenCompose(ignored -> connection.queue(timeouts.check()))
                .handle((queue, failure) -> failure == null ? running(queue, promptId) : runningAsFarAsKnown)
                .thenCompose(running -> !running ? CompletableFuture.completedFuture((Void) null)
                        : connection.interrupt(promptId, timeouts.check())
                                .handle((ok, failure) -> logged(log, "interrupt prompt " + promptId, failure))
                                .thenCompose(ignored -> socket.promptEnded().copy()
                                        .completeOnTimeout(null, timeouts.interruptWait().toMillis(),
                                                TimeUnit.MILLISECONDS))
                                .thenCompose(ignored -> untilNotRunning(connection, promptId, giveUpAt, timeouts)))
                .thenCompose(ignored -> connection.deleteHistory(promptId, timeouts.check()))
                .handle((ok, failure) -> logged(log, "delete the history of prompt " + promptId, failure));
        done.whenComplete((ignored, failure) -> {
            if (webSocket != null) {
                JobSocket.close(webSocket);
                connection.forget(webSocket);
            }
        });
        return done;
    }

    /** Waits (asking the queue every 200 ms, until the deadline) until ComfyUI no longer runs the prompt. */
    private static CompletableFuture<Void> untilNotRunning(ComfyUiConnection connection, String promptId,
            long giveUpAt, JobTimeouts timeouts) {
        return connection.queue(timeouts.check())
                .handle((queue, failure) -> failure == null && running(queue, promptId))
                .thenCompose(running -> {
                    if (!running || System.nanoTime() >= giveUpAt) {
                        return CompletableFuture.completedFuture(null);
                    }
                    // Only starts the next asynchronous call, so the JDK's delay thread may run it itself.
                    Executor later = CompletableFuture.delayedExecutor(POLL_MILLIS, TimeUnit.MILLISECONDS,
                            Runnable::run);
                    return CompletableFuture.supplyAsync(() -> null, later)
                            .thenCompose(ignored -> untilNotRunning(connection, promptId, giveUpAt, timeouts));
                });
    }

    /** @return whether ComfyUI's {@code /queue} lists the prompt as running */
    static boolean running(JsonObject queue, String promptId) {
        return listed(queue, "queue_running", promptId);
    }

    /** @return whether ComfyUI's {@code /queue} lists the prompt as running or waiting */
    static boolean queued(JsonObject queue, String promptId) {
        return listed(queue, "queue_running", promptId) || listed(queue, "queue_pending", promptId);
    }

    private static boolean listed(JsonObject queue, String list, String promptId) {
        JsonElement items = queue.get(list);
        if (items == null || !items.isJsonArray()) {
            return false;
        }
        for (JsonElement item : items.getAsJsonArray()) {
            // Each item is [number, prompt_id, prompt, extra_data, outputs].
            if (item.isJsonArray() && item.getAsJsonArray().size() > 1 && item.getAsJsonArray().get(1).isJsonPrimitive()
                    && item.getAsJsonArray().get(1).getAsString().equals(promptId)) {
                return true;
            }
        }
        return false;
    }

    private static Void logged(Logger log, String what, Throwable failure) {
        if (failure != null) {
            log.warn("Could not {} on ComfyUI: {}", what, failure.getCause() != null ? failure.getCause().getMessage()
                    : failure.getMessage());
        }
        return null;
    }
}
