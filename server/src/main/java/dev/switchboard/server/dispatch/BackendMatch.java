package dev.switchboard.server.dispatch;

import dev.switchboard.api.generation.ModelType;
import java.util.List;
import java.util.Map;

/**
 * A backend that can take a job, and the job's model names as that backend lists them.
 *
 * @param backendId the backend
 * @param models the job's model names per kind, resolved to the backend's own names (exact file names)
 */
public record BackendMatch(int backendId, Map<ModelType, List<String>> models) {
    public BackendMatch {
        models = Map.copyOf(models);
    }

    /** @return the resolved main model, or null when the job names none */
    public String mainModel() {
        List<String> main = models.get(ModelType.STABLE_DIFFUSION);
        return main == null || main.isEmpty() ? null : main.get(0);
    }
}
