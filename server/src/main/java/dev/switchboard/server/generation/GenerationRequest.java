package dev.switchboard.server.generation;

import static java.util.Objects.requireNonNull;

import dev.switchboard.api.generation.GenerationParameters;
import java.util.List;
import java.util.Set;

/**
 * One validated generation request: how many images, the parameters every job starts from (models and LoRAs as
 * the client named them; the seed already chosen), and what decides how jobs run and where results go.
 *
 * @param images how many images (one job each, each making {@code base.batchSize()})
 * @param base the parameters of the first job
 * @param seedIncrement whether job {@code i} uses {@code seed + i * batchSize} (else every job the same seed)
 * @param workflowTemplate a raw ComfyUI workflow with SwarmUI's {@code ${...}} tags still in it, or null
 * @param features the feature flags a backend needs for this request
 * @param exactBackendId the backend (or parent) the jobs are pinned to, or null
 * @param backendType the backend type the jobs are pinned to, or null
 * @param doNotSave whether images go back as data URLs instead of saved files
 * @param forwardSwarmData whether {@code raw_swarm_data} precedes each image
 * @param continueAfterErrors whether a failed job leaves the others running (and is only logged)
 * @param usedParameters the parameter ids this request set that the generation honours ({@code params_used})
 */
public record GenerationRequest(int images, GenerationParameters base, boolean seedIncrement, String workflowTemplate,
                                Set<String> features, Integer exactBackendId, String backendType, boolean doNotSave,
                                boolean forwardSwarmData, boolean continueAfterErrors, List<String> usedParameters) {
    public GenerationRequest {
        requireNonNull(base, "base is null");
        features = Set.copyOf(features);
        usedParameters = List.copyOf(usedParameters);
        if (images < 1) {
            throw new IllegalArgumentException("images must be at least 1: " + images);
        }
    }

    /** The seed of job {@code index}. */
    long seedOf(int index) {
        return seedIncrement ? base.seed() + (long) index * base.batchSize() : base.seed();
    }
}
