package dev.switchboard.examples.autowebui;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.switchboard.api.generation.GenerationException;
import dev.switchboard.api.generation.GenerationOutput;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;

/**
 * Watches a running generation through {@code GET /sdapi/v1/progress}, called every {@link #INTERVAL} on the
 * backend's scheduler: forwards the progress (never backwards) and each new preview, and fails the job through
 * {@code failure} when the WebUI stops answering. SD-WebUI reports the progress of whatever it is running, which is
 * this job as long as Switchboard is its only client (the backend's {@code max_usages} is 1).
 */
final class ProgressWatch {
    static final Duration INTERVAL = Duration.ofMillis(250);

    private final SdApiClient api;
    private final GenerationOutput output;
    private final CompletableFuture<Void> failure;
    private final Object lock = new Object();
    // Guarded by lock.
    private boolean stopped;
    private double overall;
    private String lastPreview;

    ProgressWatch(SdApiClient api, GenerationOutput output, CompletableFuture<Void> failure) {
        this.api = api;
        this.output = output;
        this.failure = failure;
    }

    void poll() {
        JsonElement answer;
        try {
            answer = api.get("progress?skip_current_image=false");
        } catch (WebUiException e) {
            failure.completeExceptionally(new GenerationException("SD-WebUI at " + api.address() + " stopped"
                    + " answering during the generation: " + e.getMessage(), e));
            return;
        } catch (InterruptedException e) {
            // The watch was cancelled: the job is over.
            Thread.currentThread().interrupt();
            return;
        }
        JsonObject progress = answer.isJsonObject() ? answer.getAsJsonObject() : new JsonObject();
        JsonObject state = progress.has("state") && progress.get("state").isJsonObject()
                ? progress.getAsJsonObject("state") : new JsonObject();
        if (number(state, "job_count") < 1) {
            // Not started (still queued inside the WebUI) or already over: nothing to show.
            return;
        }
        double fraction = Math.min(1, Math.max(0, number(progress, "progress")));
        double steps = number(state, "sampling_steps");
        double current = steps > 0 ? Math.min(1, Math.max(0, number(state, "sampling_step") / steps)) : 0;
        JsonElement image = progress.get("current_image");
        String preview = image != null && image.isJsonPrimitive() ? image.getAsString() : null;
        synchronized (lock) {
            // After stop() the job's output is no longer ours to write to.
            if (stopped) {
                return;
            }
            if (fraction >= overall) {
                overall = fraction;
                output.progress(fraction, current);
            }
            if (preview != null && !preview.equals(lastPreview)) {
                lastPreview = preview;
                forwardPreview(preview);
            }
        }
    }

    /** Ends the watch: once this returns, it reports nothing more. */
    void stop() {
        synchronized (lock) {
            stopped = true;
        }
    }

    private void forwardPreview(String base64) {
        byte[] picture;
        try {
            picture = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return;
        }
        MediaTypes.of(picture).ifPresent(mediaType -> output.preview(picture, mediaType));
    }

    private static double number(JsonObject object, String field) {
        JsonElement value = object.get(field);
        if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber()) {
            return 0;
        }
        return value.getAsDouble();
    }
}
