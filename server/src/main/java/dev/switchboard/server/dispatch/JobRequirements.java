package dev.switchboard.server.dispatch;

import static java.util.Objects.requireNonNull;

import dev.switchboard.api.generation.ModelType;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a backend must have to take a job (SwarmUI's generation matcher, backend-api-semantics.md 6.3 step 4).
 *
 * @param models the model names the job names, per kind, as the client wrote them (e.g. the main model
 *     {@code sdxl/base}, LoRAs, a VAE); resolved against each backend's lists
 * @param features the feature flags the request needs (e.g. {@code comfyui} for a sampler or a raw workflow)
 * @param nodeTypes the node types a raw workflow uses; empty otherwise
 * @param exactBackendId the backend (or parent of the backend) the job is pinned to, or null for any
 * @param backendType the backend type the job is pinned to (ignoring case), or null for any
 */
public record JobRequirements(Map<ModelType, List<String>> models, Set<String> features, Set<String> nodeTypes,
                              Integer exactBackendId, String backendType) {
    /** Model-family flags SwarmUI never requires of a backend. */
    static final Set<String> IGNORED_FEATURES = Set.of("sd3", "flux-dev", "text2video", "cascade", "sdxl",
            "text2audio");

    /** Copies the collections. */
    public JobRequirements {
        models = Map.copyOf(requireNonNull(models, "models is null"));
        features = Set.copyOf(requireNonNull(features, "features is null"));
        nodeTypes = Set.copyOf(requireNonNull(nodeTypes, "nodeTypes is null"));
    }

    /** @return the main model the job names, or null */
    public String mainModel() {
        List<String> main = models.get(ModelType.STABLE_DIFFUSION);
        return main == null || main.isEmpty() ? null : main.get(0);
    }
}
