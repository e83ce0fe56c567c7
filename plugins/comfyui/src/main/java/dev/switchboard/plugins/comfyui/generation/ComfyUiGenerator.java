package dev.switchboard.plugins.comfyui.generation;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.switchboard.api.generation.GenerationException;
import dev.switchboard.api.generation.GenerationJob;
import dev.switchboard.api.generation.GenerationOutput;
import dev.switchboard.plugins.comfyui.connection.ComfyUiConnection;
import dev.switchboard.plugins.comfyui.connection.ObjectInfo;
import org.slf4j.Logger;

/**
 * Generates on a ComfyUI, for both backend types ({@code comfyui_api} and {@code comfyui_selfstart}): builds the
 * standard graph from a job's parameters (or takes the job's raw workflow as it is) and runs it as a
 * {@link ComfyUiJob}. Thread-safe: each call runs its own job.
 */
public final class ComfyUiGenerator {
    private final JobTimeouts timeouts;
    private final Logger log;

    /**
     * Creates the generator.
     *
     * @param timeouts how long a job waits for what
     * @param log where the backend logs
     */
    public ComfyUiGenerator(JobTimeouts timeouts, Logger log) {
        this.timeouts = requireNonNull(timeouts, "timeouts is null");
        this.log = requireNonNull(log, "log is null");
    }

    /**
     * Runs one job on a ComfyUI.
     *
     * @param connection the connection to the ComfyUI
     * @param info what that ComfyUI's {@code /object_info} listed (its separator, whether it has
     *     {@code SwarmSaveImageWS})
     * @param job the job
     * @param output where progress, previews and images go
     * @throws GenerationException when ComfyUI refused or failed the prompt, or could not be reached; the message
     *     names ComfyUI and its address where that helps
     * @throws InterruptedException when the thread was interrupted; the prompt is then taken off ComfyUI
     */
    public void generate(ComfyUiConnection connection, ObjectInfo info, GenerationJob job, GenerationOutput output)
            throws GenerationException, InterruptedException {
        requireNonNull(connection, "connection is null");
        if (job.cancellation().isCancelled()) {
            return;
        }
        JsonObject graph = job.parameters().workflow().isPresent() ? workflow(job.parameters().workflow().get())
                : StandardGraph.build(job.parameters(), info);
        new ComfyUiJob(connection, timeouts, graph, job, output, log).run();
    }

    /** A raw workflow is posted as given; it only has to be an API-format graph, a JSON object. */
    private static JsonObject workflow(String text) throws GenerationException {
        try {
            JsonElement graph = JsonParser.parseString(text);
            if (graph.isJsonObject()) {
                return graph.getAsJsonObject();
            }
        } catch (JsonParseException e) {
            throw new GenerationException("The ComfyUI workflow is not valid JSON: " + e.getMessage(), e);
        }
        throw new GenerationException("The ComfyUI workflow must be a JSON object of nodes (ComfyUI's API format).");
    }
}
