// tag::job[]
package dev.switchboard.examples.echo;

import dev.switchboard.api.generation.GenerationException;
import dev.switchboard.api.generation.GenerationJob;
import dev.switchboard.api.generation.GenerationOutput;
import dev.switchboard.api.generation.GenerationParameters;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One job of the echo backend: "samples" for {@code StepMillis} per step, reporting progress and one preview,
 * then draws {@code batchSize} PNGs. Stops as soon as the job is cancelled.
 */
final class EchoJob {
    static final int MAX_SIDE = 4096;
    private static final int PREVIEW_SCALE = 4;

    private final GenerationJob job;
    private final GenerationOutput output;
    private final List<String> models;
    private final long stepMillis;

    EchoJob(GenerationJob job, GenerationOutput output, List<String> models, long stepMillis) {
        this.job = job;
        this.output = output;
        this.models = models;
        this.stepMillis = stepMillis;
    }

    void run() throws GenerationException, InterruptedException, IOException {
        GenerationParameters parameters = job.parameters();
        refuseWhatCannotBeHonoured(parameters);
        // The host runs this listener when the job is cancelled (and also interrupts this thread).
        CountDownLatch cancelled = new CountDownLatch(1);
        job.cancellation().onCancel(cancelled::countDown);
        int steps = parameters.steps();
        for (int step = 1; step <= steps; step++) {
            if (cancelled.await(stepMillis, TimeUnit.MILLISECONDS)) {
                return; // Whatever generate() does after a cancellation, the job counts as cancelled.
            }
            double done = (double) step / steps;
            output.progress(done, done);
            if (step == (steps + 1) / 2) {
                output.preview(EchoPainter.png(parameters, parameters.seed(),
                        Math.max(1, parameters.width() / PREVIEW_SCALE),
                        Math.max(1, parameters.height() / PREVIEW_SCALE)), "image/png");
            }
        }
        if (steps == 0) {
            output.progress(1, 1);
        }
        for (int index = 0; index < parameters.batchSize(); index++) {
            if (cancelled.getCount() == 0) {
                return;
            }
            // Each image of a batch has its own seed: the job's seed plus its index.
            output.image(EchoPainter.png(parameters, parameters.seed() + index, parameters.width(),
                    parameters.height()), "image/png");
        }
    }

    /** Messages a user reads: what the echo backend cannot do, named. */
    private void refuseWhatCannotBeHonoured(GenerationParameters parameters) throws GenerationException {
        if (parameters.workflow().isPresent()) {
            throw new GenerationException("The echo backend runs no workflows.");
        }
        String model = parameters.model().orElseThrow(() -> new GenerationException(
                "No model was given: the echo backend draws with one of " + String.join(", ", models) + "."));
        if (!models.contains(model)) {
            throw new GenerationException("Model '" + model + "' is not one of this backend's models ("
                    + String.join(", ", models) + ").");
        }
        if (!parameters.loras().isEmpty()) {
            throw new GenerationException("The echo backend has no LoRA models, so it cannot apply '"
                    + parameters.loras().get(0).name() + "'.");
        }
        if (parameters.vae().isPresent()) {
            throw new GenerationException("The echo backend has no VAE models, so it cannot use '"
                    + parameters.vae().get() + "'.");
        }
        if (parameters.width() > MAX_SIDE || parameters.height() > MAX_SIDE) {
            throw new GenerationException("The echo backend draws at most " + MAX_SIDE + " pixels a side; "
                    + parameters.width() + "x" + parameters.height() + " was asked for.");
        }
    }
}
// end::job[]
