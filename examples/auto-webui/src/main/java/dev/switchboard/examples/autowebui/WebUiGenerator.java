package dev.switchboard.examples.autowebui;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import dev.switchboard.api.BackendContext;
import dev.switchboard.api.generation.GenerationException;
import dev.switchboard.api.generation.GenerationJob;
import dev.switchboard.api.generation.GenerationOutput;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Generates through one WebUI, for both backend types: {@code POST /sdapi/v1/txt2img} (its answer holds the
 * images, base64-encoded), progress and previews from {@code GET /sdapi/v1/progress} while it runs, and
 * {@code POST /sdapi/v1/interrupt} when the job is cancelled.
 */
final class WebUiGenerator {
    private final SdApiClient api;
    private final BackendContext context;
    private volatile WebUiCatalog catalog;

    WebUiGenerator(SdApiClient api, BackendContext context, WebUiCatalog catalog) {
        this.api = api;
        this.context = context;
        this.catalog = catalog;
    }

    // tag::generate[]
    void generate(GenerationJob job, GenerationOutput output) throws Exception {
        String body = Txt2ImgBody.of(job.parameters(), catalog, api.address());
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        // On the host's cancelling thread: ask the WebUI to stop without waiting for its answer.
        job.cancellation().onCancel(() -> {
            api.postAsync("interrupt", "");
            stopped.complete(null);
        });
        if (job.cancellation().isCancelled()) {
            return;
        }
        CompletableFuture<JsonElement> call = api.postAsync("txt2img", body);
        ProgressWatch watch = new ProgressWatch(api, output, stopped);
        ScheduledFuture<?> polling = context.scheduler().scheduleWithFixedDelay(watch::poll,
                ProgressWatch.INTERVAL.toMillis(), ProgressWatch.INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        try {
            // Interruptible: the host also interrupts this thread when it cancels the job.
            CompletableFuture.anyOf(call, stopped).get();
        } catch (ExecutionException e) {
            // Read below, from the future that failed.
        } finally {
            polling.cancel(false);
            watch.stop();
            call.cancel(false);
        }
        if (job.cancellation().isCancelled()) {
            return; // An interrupted run's pictures are not the job's; the host counts it as cancelled anyway.
        }
        if (stopped.isCompletedExceptionally()) {
            throw failure(stopped);
        }
        List<byte[]> images = images(answer(call), job.parameters().batchSize());
        output.progress(1, 1);
        for (byte[] image : images) {
            output.image(image, MediaTypes.of(image).orElseThrow());
        }
    }
    // end::generate[]

    /** Re-reads the WebUI's checkpoints (after it rescanned its folders), samplers and schedulers. */
    void refresh() throws WebUiException, InterruptedException {
        api.post("refresh-checkpoints", "");
        WebUiCatalog fresh = WebUiCatalog.read(api);
        catalog = fresh;
        WebUiInventory.advertiseModels(fresh, api.address(), context);
    }

    private JsonElement answer(CompletableFuture<JsonElement> call) throws Exception {
        try {
            return call.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebUiException failure) {
                throw new GenerationException(failure.getMessage(), failure);
            }
            throw e;
        }
    }

    private List<byte[]> images(JsonElement answer, int batchSize) throws GenerationException {
        JsonElement list = answer.isJsonObject() ? answer.getAsJsonObject().get("images") : null;
        if (list == null || !list.isJsonArray()) {
            throw new GenerationException("SD-WebUI at " + api.address() + " answered txt2img without images.");
        }
        JsonArray encoded = list.getAsJsonArray();
        if (encoded.size() < batchSize) {
            throw new GenerationException("SD-WebUI at " + api.address() + " made " + encoded.size()
                    + " images for a batch of " + batchSize + ".");
        }
        List<byte[]> images = new ArrayList<>();
        // The batch's own pictures come first: no grid is made (save_images is false), and extensions such as
        // ControlNet append theirs after them.
        for (JsonElement item : encoded.asList().subList(0, batchSize)) {
            byte[] image;
            try {
                image = Base64.getDecoder().decode(item.getAsString());
            } catch (IllegalArgumentException | IllegalStateException | UnsupportedOperationException e) {
                throw new GenerationException("SD-WebUI at " + api.address() + " sent an image that is not base64.", e);
            }
            if (MediaTypes.of(image).isEmpty()) {
                throw new GenerationException("SD-WebUI at " + api.address() + " sent an image that is neither PNG,"
                        + " JPEG nor WebP.");
            }
            images.add(image);
        }
        return images;
    }

    private static Exception failure(CompletableFuture<Void> stopped) {
        try {
            stopped.join();
            return new IllegalStateException("the watch ended without a failure");
        } catch (CompletionException e) {
            return e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
