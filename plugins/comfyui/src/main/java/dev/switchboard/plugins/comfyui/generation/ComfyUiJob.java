package dev.switchboard.plugins.comfyui.generation;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.switchboard.api.generation.GenerationException;
import dev.switchboard.api.generation.GenerationJob;
import dev.switchboard.api.generation.GenerationOutput;
import dev.switchboard.plugins.comfyui.connection.ComfyUiConnection;
import dev.switchboard.plugins.comfyui.connection.FetchedFile;
import dev.switchboard.plugins.comfyui.connection.JsonAnswer;
import dev.switchboard.plugins.comfyui.connection.OperatorText;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * Runs one prompt on ComfyUI (generation.md 3.3, backend-api-semantics.md 7.1): opens a WebSocket with a fresh
 * client id, then posts the graph with that id (and a prompt id of ours, which ComfyUI 0.3.64 keeps, so even a
 * cancellation during the post can clean up); follows only that prompt's messages, reporting progress, previews and
 * {@code SwarmSaveImageWS} images as they come; once the prompt ended, reads its {@code /history} entry (a short
 * bounded retry: it can appear a moment after {@code execution_success}) and downloads every saved image, then
 * deletes the entry. A job that stops early leaves the rest to {@link PromptCleanup}. Every wait has a deadline and
 * returns when the job is cancelled. One instance per job, used by the job's thread only.
 */
final class ComfyUiJob {
    private static final long MAX_MESSAGE_BYTES = 256L << 20;
    private static final Set<String> PREVIEW_TYPES = Set.of("image/jpeg", "image/png", "image/webp");
    /** SwarmUI's markers: the next binary message is a final image, a video, or text. */
    private static final int IMAGE_MARKER = 12345;
    private static final int VIDEO_MARKER = 12346;
    private static final int TEXT_MARKER = 12347;

    private final ComfyUiConnection connection;
    private final JobTimeouts timeouts;
    private final JsonObject graph;
    private final GenerationJob job;
    private final GenerationOutput output;
    private final Logger log;
    private final JobSocket socket = new JobSocket(MAX_MESSAGE_BYTES);
    private final CompletableFuture<Void> cancelled = new CompletableFuture<>();
    private final JobWaits waits;
    private final JobProgress progress;

    private WebSocket webSocket;
    private String promptId;
    private boolean started;
    private boolean ended;
    private boolean cleanupStarted;
    private int delivered;
    private Marker marker = Marker.NONE;
    private HistoryEntry history;

    /** What the last {@code progress} said the next binary message is. */
    private enum Marker { NONE, IMAGE, SKIP }

    ComfyUiJob(ComfyUiConnection connection, JobTimeouts timeouts, JsonObject graph, GenerationJob job,
            GenerationOutput output, Logger log) {
        this.connection = requireNonNull(connection, "connection is null");
        this.timeouts = requireNonNull(timeouts, "timeouts is null");
        this.graph = requireNonNull(graph, "graph is null");
        this.job = requireNonNull(job, "job is null");
        this.output = requireNonNull(output, "output is null");
        this.log = requireNonNull(log, "log is null");
        this.progress = new JobProgress(graph.size());
        this.waits = new JobWaits(connection, cancelled);
    }

    void run() throws GenerationException, InterruptedException {
        job.cancellation().onCancel(() -> {
            cancelled.complete(null);
            socket.cancel();
        });
        boolean interrupted = false;
        try {
            runPrompt();
        } catch (JobCancelled e) {
            interrupted = Thread.interrupted();
            cleanUp();
        } catch (GenerationException | RuntimeException e) {
            cleanUp();
            throw e;
        } finally {
            if (!cleanupStarted && webSocket != null) {
                JobSocket.close(webSocket);
                connection.forget(webSocket);
            }
        }
        if (interrupted) {
            throw new InterruptedException("the job was cancelled");
        }
    }

    private void runPrompt() throws GenerationException, JobCancelled {
        String clientId = UUID.randomUUID().toString();
        CompletableFuture<WebSocket> opening = connection.openSocket(clientId, socket,
                () -> socket.aborted(
                        "the connection to ComfyUI was closed: the backend stopped or is restarting ComfyUI"));
        try {
            webSocket = waits.await(opening, timeouts.submit(), "open its WebSocket");
        } catch (JobCancelled | GenerationException e) {
            // A socket that opens after all is closed at once.
            opening.thenAccept(late -> {
                JobSocket.close(late);
                connection.forget(late);
            });
            throw e;
        }
        String requested = UUID.randomUUID().toString();
        JsonObject request = new JsonObject();
        request.add("prompt", graph);
        request.addProperty("client_id", clientId);
        request.addProperty("prompt_id", requested);
        CompletableFuture<JsonAnswer> submitted = connection.submitPrompt(request, timeouts.submit());
        JsonAnswer answer;
        try {
            answer = waits.await(submitted, timeouts.submit(), "accept the prompt");
        } catch (JobCancelled e) {
            // ComfyUI may still accept the prompt: take it off once it answered.
            cleanupStarted = true;
            submitted.whenComplete((late, failure) -> {
                String lateId = promptIdOf(late, requested);
                socket.follow(lateId);
                PromptCleanup.start(connection, lateId, false, socket, webSocket, timeouts, log);
            });
            throw e;
        }
        if (!answer.ok() || answer.body().has("error")) {
            throw new GenerationException(PromptErrors.refusal(answer.body()));
        }
        promptId = promptIdOf(answer, requested);
        socket.follow(promptId);
        while (!ended) {
            SocketEvent event = poll();
            if (event == null) {
                checkStillQueued();
            } else {
                handle(event);
            }
        }
        collect();
    }

    private void handle(SocketEvent event) throws GenerationException, JobCancelled {
        if (event instanceof SocketEvent.Cancelled) {
            throw new JobCancelled();
        }
        if (event instanceof SocketEvent.Ended end) {
            throw lost(end.why() + ".", null);
        }
        if (event instanceof SocketEvent.Binary binary) {
            onBinary(binary.data());
            return;
        }
        SocketEvent.Text text = (SocketEvent.Text) event;
        JsonObject data = text.data();
        boolean ours = promptId.equals(string(data, "prompt_id"));
        switch (text.type()) {
            case "execution_start" -> {
                if (ours) {
                    started = true;
                    report();
                }
            }
            case "execution_cached" -> {
                if (ours && data.has("nodes") && data.get("nodes").isJsonArray()) {
                    List<String> nodes = new ArrayList<>();
                    data.getAsJsonArray("nodes").forEach(node -> nodes.add(node.getAsString()));
                    progress.cached(nodes);
                    report();
                }
            }
            case "executing" -> {
                if (ours) {
                    onExecuting(data.get("node"));
                }
            }
            case "progress" -> onProgress(data);
            case "execution_success" -> ended |= ours;
            case "execution_error" -> {
                if (ours) {
                    ended = true;
                    throw new GenerationException(PromptErrors.executionError(data));
                }
            }
            case "execution_interrupted" -> {
                if (ours) {
                    ended = true;
                    throw interruptedOnComfyUi();
                }
            }
            default -> {
                // status, executed, progress_state and the like change nothing here.
            }
        }
    }

    private void onExecuting(JsonElement node) {
        if (node == null || node.isJsonNull()) {
            ended = true;
            return;
        }
        progress.enter(node.getAsString());
        marker = Marker.NONE;
        report();
    }

    private void onProgress(JsonObject data) {
        String id = string(data, "prompt_id");
        double max = number(data, "max");
        if (max == IMAGE_MARKER) {
            marker = Marker.IMAGE;
        } else if (max == VIDEO_MARKER || max == TEXT_MARKER) {
            marker = Marker.SKIP;
        } else if (id == null || id.equals(promptId)) {
            progress.step(number(data, "value"), max);
            report();
        }
    }

    private void onBinary(byte[] data) {
        Marker announced = marker;
        marker = Marker.NONE;
        Optional<Frames.Picture> picture = Frames.picture(data);
        if (picture.isEmpty() || announced == Marker.SKIP) {
            return;
        }
        Frames.Picture image = picture.get();
        if (announced == Marker.IMAGE && Frames.isFinal(progress.node())) {
            if (image.isImage()) {
                delivered++;
                output.image(image.data(), image.mediaType());
            } else {
                log.warn("ComfyUI at {} sent a final {} output; only images are delivered", connection.address(),
                        image.mediaType());
            }
        } else if (PREVIEW_TYPES.contains(image.mediaType())) {
            output.preview(image.data(), image.mediaType());
        }
    }

    /**
     * After a quiet spell: does ComfyUI still have the prompt (if not, it ended without our hearing of it), and does
     * our socket still live (a ping comes back)?
     */
    private void checkStillQueued() throws GenerationException, JobCancelled {
        CompletableFuture<Void> pong = socket.ping(webSocket);
        JsonObject queue;
        try {
            queue = waits.await(connection.queue(timeouts.check()), timeouts.check(),
                    "say whether it still has the prompt");
        } catch (GenerationException e) {
            throw lost("ComfyUI stopped answering: " + e.getMessage(), e);
        }
        if (!PromptCleanup.queued(queue, promptId)) {
            history = readHistory().orElseThrow(() -> new GenerationException("ComfyUI at " + connection.address()
                    + " lost prompt " + promptId + ": it is neither queued nor in its history (was ComfyUI"
                    + " restarted?)."));
            ended = true;
            return;
        }
        try {
            waits.await(pong, timeouts.check(), "answer a ping on the WebSocket");
        } catch (GenerationException e) {
            throw lost("its WebSocket did not answer a ping within " + OperatorText.describe(timeouts.check()) + ".",
                    e);
        }
    }

    private GenerationException lost(String why, Throwable cause) {
        return new GenerationException("Lost the connection to ComfyUI at " + connection.address() + " while it ran"
                + " prompt " + promptId + ": " + why, cause);
    }

    /** Reads the history entry, checks how the prompt ended, delivers every saved image, deletes the entry. */
    private void collect() throws GenerationException, JobCancelled {
        HistoryEntry entry = history != null ? history : readHistory().orElse(null);
        if (entry == null && delivered == 0) {
            throw new GenerationException("ComfyUI at " + connection.address() + " finished prompt " + promptId
                    + " but listed no history entry for it within " + OperatorText.describe(timeouts.historyWait())
                    + ".");
        }
        if (entry != null) {
            Optional<JsonObject> error = entry.endedWith("execution_error");
            if (error.isPresent()) {
                throw new GenerationException(PromptErrors.executionError(error.get()));
            }
            if (entry.endedWith("execution_interrupted").isPresent()) {
                throw interruptedOnComfyUi();
            }
            for (HistoryEntry.SavedFile file : entry.files()) {
                if (file.isFinal()) {
                    FetchedFile fetched = waits.await(connection.view(file.filename(), file.subfolder(), file.type(),
                            timeouts.download()), timeouts.download(), "send the image " + file.filename());
                    delivered++;
                    output.image(fetched.body(), MediaTypes.of(fetched.contentType(), file.filename()));
                }
            }
        }
        try {
            waits.await(connection.deleteHistory(promptId, timeouts.check()), timeouts.check(), "delete the history");
        } catch (GenerationException e) {
            log.warn("Could not delete the history of prompt {}: {}", promptId, e.getMessage());
        }
    }

    /** Reads {@code /history/<id>} until the entry is there or the history wait is over. */
    private Optional<HistoryEntry> readHistory() throws GenerationException, JobCancelled {
        long giveUpAt = System.nanoTime() + timeouts.historyWait().toNanos();
        long pause = 50;
        while (true) {
            JsonObject answer = waits.await(connection.history(promptId, timeouts.download()), timeouts.download(),
                    "list the prompt's history");
            JsonElement entry = answer.get(promptId);
            if (entry != null && entry.isJsonObject()) {
                return Optional.of(new HistoryEntry(entry.getAsJsonObject()));
            }
            if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pause) > giveUpAt) {
                return Optional.empty();
            }
            waits.sleep(pause);
            pause = Math.min(pause * 2, 1000);
        }
    }

    private GenerationException interruptedOnComfyUi() throws JobCancelled {
        if (job.cancellation().isCancelled()) {
            throw new JobCancelled();
        }
        return new GenerationException("ComfyUI at " + connection.address() + " interrupted prompt " + promptId
                + " (someone interrupted it on ComfyUI itself).");
    }

    private void cleanUp() {
        if (promptId == null || cleanupStarted) {
            return;
        }
        cleanupStarted = true;
        PromptCleanup.start(connection, promptId, started && !ended, socket, webSocket, timeouts, log);
    }

    private void report() {
        output.progress(progress.overall(), progress.current());
    }

    private SocketEvent poll() throws JobCancelled {
        try {
            return socket.poll(timeouts.quiet());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobCancelled();
        }
    }

    private static String promptIdOf(JsonAnswer answer, String requested) {
        String id = answer == null ? null : string(answer.body(), "prompt_id");
        return id == null ? requested : id;
    }

    private static String string(JsonObject data, String key) {
        JsonElement value = data.get(key);
        return value != null && value.isJsonPrimitive() ? value.getAsString() : null;
    }

    private static double number(JsonObject data, String key) {
        JsonElement value = data.get(key);
        return value != null && value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber() ? value.getAsDouble()
                : 0;
    }
}
