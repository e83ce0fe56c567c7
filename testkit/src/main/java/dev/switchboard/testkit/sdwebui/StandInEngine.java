package dev.switchboard.testkit.sdwebui;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * The stand-in's generation engine, like SD-WebUI's: one {@code txt2img} at a time (others wait, as behind
 * SD-WebUI's queue lock), a time per sampling step, the shared progress state that {@code /sdapi/v1/progress}
 * reads, and the interrupt flag that {@code /sdapi/v1/interrupt} sets and the next job clears. Thread-safe.
 */
final class StandInEngine {
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private final Gson gson;
    private final Semaphore queue = new Semaphore(1, true);
    private final Object state = new Object();

    // All guarded by state.
    private int jobCount;
    private int jobNo;
    private int step;
    private int steps;
    private boolean interrupted;
    private boolean closed;
    private long startedNanos;
    private String jobTimestamp = "0";
    private Picture current;
    /** Steps that may still be taken while steps are held; -1 when they run freely. */
    private int stepPermits = -1;
    private int inFlight;
    private int mostInFlight;
    private final List<SdWebUiGeneration> runs = new ArrayList<>();

    /** What a preview of the running job shows; drawn only when asked for. */
    private record Picture(int width, int height, long seed, double done) {
    }

    /**
     * What a generation needs from the stand-in's switches at the moment it starts.
     *
     * @param checkpoint the checkpoint to generate with (the override already resolved)
     * @param stepTime how long each sampling step takes
     * @param failure the error text to fail with after sampling, or null
     */
    record Setup(String checkpoint, Duration stepTime, String failure) {
    }

    StandInEngine(Gson gson) {
        this.gson = gson;
    }

    /**
     * Runs one parsed request once the ones before it are done, with the switches as they are when it starts; empty
     * when the stand-in closed meanwhile (the connection is then dropped).
     */
    Optional<Answer> txt2img(Txt2ImgRequest request, Supplier<Setup> setup) throws InterruptedException {
        synchronized (state) {
            inFlight++;
            mostInFlight = Math.max(mostInFlight, inFlight);
        }
        try {
            queue.acquire();
            try {
                return run(request, setup.get());
            } finally {
                queue.release();
            }
        } finally {
            synchronized (state) {
                inFlight--;
            }
        }
    }

    private Optional<Answer> run(Txt2ImgRequest request, Setup setup) throws InterruptedException {
        long seed = request.seed() == -1 ? ThreadLocalRandom.current().nextLong(1L << 32) : request.seed();
        synchronized (state) {
            jobCount = request.iterations();
            jobNo = 0;
            step = 0;
            steps = request.steps();
            interrupted = false;
            current = null;
            startedNanos = System.nanoTime();
            jobTimestamp = LocalDateTime.now().format(TIMESTAMP);
        }
        JsonArray images = new JsonArray();
        boolean wasInterrupted;
        try {
            for (int iteration = 0; iteration < request.iterations(); iteration++) {
                long iterationSeed = seed + (long) iteration * request.batchSize();
                double done = sample(iteration, request, iterationSeed, setup.stepTime());
                synchronized (state) {
                    if (closed) {
                        return Optional.empty();
                    }
                }
                // SD-WebUI decodes what sampling got to, interrupted or not, and returns it.
                for (int index = 0; index < request.batchSize(); index++) {
                    images.add(Base64.getEncoder().encodeToString(StandInPictures.png(request.width(),
                            request.height(), iterationSeed + index, done)));
                }
                synchronized (state) {
                    if (interrupted) {
                        break;
                    }
                }
            }
        } finally {
            synchronized (state) {
                wasInterrupted = interrupted;
                jobCount = 0;
                jobNo = 0;
                step = 0;
                steps = 0;
                current = null;
            }
        }
        synchronized (state) {
            runs.add(request.toGeneration(seed, setup.checkpoint(), wasInterrupted));
        }
        if (setup.failure() != null && !wasInterrupted) {
            JsonObject error = new JsonObject();
            error.addProperty("error", "RuntimeError");
            error.addProperty("detail", "");
            error.addProperty("body", "");
            error.addProperty("errors", setup.failure());
            return Optional.of(new Answer(500, gson.toJson(error)));
        }
        JsonObject answer = new JsonObject();
        answer.add("images", images);
        answer.add("parameters", request.json());
        JsonObject info = new JsonObject();
        info.addProperty("prompt", request.prompt());
        info.addProperty("seed", seed);
        info.addProperty("width", request.width());
        info.addProperty("height", request.height());
        info.addProperty("sd_model_name", CheckpointTitles.withoutHash(setup.checkpoint()));
        answer.add("info", new JsonPrimitive(gson.toJson(info)));
        return Optional.of(new Answer(200, gson.toJson(answer)));
    }

    /** Runs one iteration's steps; returns how far it got (1 unless interrupted). */
    private double sample(int iteration, Txt2ImgRequest request, long seed, Duration stepTime)
            throws InterruptedException {
        int total = request.steps();
        for (int done = 1; done <= total; done++) {
            long deadline = System.nanoTime() + stepTime.toNanos();
            synchronized (state) {
                jobNo = iteration;
                for (long left = deadline - System.nanoTime(); left > 0 && !interrupted && !closed;
                        left = deadline - System.nanoTime()) {
                    state.wait(Math.max(1, left / 1_000_000));
                }
                while (stepPermits == 0 && !interrupted && !closed) {
                    state.wait();
                }
                if (stepPermits > 0) {
                    stepPermits--;
                }
                if (interrupted || closed) {
                    return total == 0 ? 1 : (double) step / total;
                }
                step = done;
                current = new Picture(request.width(), request.height(), seed, (double) done / total);
            }
        }
        return 1;
    }

    JsonObject progress(boolean skipCurrentImage) {
        Picture picture;
        JsonObject progress = new JsonObject();
        synchronized (state) {
            JsonObject job = new JsonObject();
            job.addProperty("skipped", false);
            job.addProperty("interrupted", interrupted);
            job.addProperty("stopping_generation", false);
            job.addProperty("job", jobCount == 0 ? "" : "scripts_txt2img");
            job.addProperty("job_count", jobCount);
            job.addProperty("job_timestamp", jobTimestamp);
            job.addProperty("job_no", jobNo);
            job.addProperty("sampling_step", step);
            job.addProperty("sampling_steps", steps);
            if (jobCount == 0) {
                progress.addProperty("progress", 0);
                progress.addProperty("eta_relative", 0);
                progress.add("state", job);
                progress.add("current_image", null);
                progress.add("textinfo", null);
                return progress;
            }
            // SD-WebUI's own formula, starting at 0.01 so that a running job never shows 0.
            double fraction = 0.01 + (double) jobNo / jobCount
                    + (steps > 0 ? (double) step / steps / jobCount : 0);
            fraction = Math.min(1, fraction);
            double elapsed = (System.nanoTime() - startedNanos) / 1e9;
            progress.addProperty("progress", fraction);
            progress.addProperty("eta_relative", elapsed / fraction - elapsed);
            progress.add("state", job);
            picture = skipCurrentImage ? null : current;
        }
        progress.add("current_image", picture == null ? null : new JsonPrimitive(Base64.getEncoder().encodeToString(
                StandInPictures.png(Math.max(1, picture.width() / 4), Math.max(1, picture.height() / 4),
                        picture.seed(), picture.done()))));
        progress.add("textinfo", null);
        return progress;
    }

    /** From now on each step waits for a permit from {@link #releaseSteps}. */
    void holdSteps() {
        synchronized (state) {
            stepPermits = Math.max(0, stepPermits);
        }
    }

    void releaseSteps(int count) {
        synchronized (state) {
            if (stepPermits >= 0) {
                stepPermits += count;
                state.notifyAll();
            }
        }
    }

    void runFreely() {
        synchronized (state) {
            stepPermits = -1;
            state.notifyAll();
        }
    }

    void interrupt() {
        synchronized (state) {
            interrupted = true;
            state.notifyAll();
        }
    }

    List<SdWebUiGeneration> runs() {
        synchronized (state) {
            return List.copyOf(runs);
        }
    }

    int mostInFlight() {
        synchronized (state) {
            return mostInFlight;
        }
    }

    boolean running() {
        synchronized (state) {
            return jobCount > 0;
        }
    }

    void close() {
        synchronized (state) {
            closed = true;
            state.notifyAll();
        }
    }
}
