package dev.switchboard.examples.autowebui;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.switchboard.api.BackendContext;
import dev.switchboard.api.BackendStatus;
import dev.switchboard.api.generation.ModelType;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads what a reachable WebUI offers (its loaded checkpoint, checkpoints, samplers and schedulers), advertises it
 * through the context and reports {@code running}: the end of both types' {@code init()}.
 */
final class WebUiInventory {
    /**
     * Exactly what {@link WebUiGenerator} implements: {@code variation_seed} (SwarmUI's variation seed and strength
     * become SD-WebUI's {@code subseed} and {@code subseed_strength}) and {@code autowebui}, the engine's name.
     */
    static final Set<String> FEATURES = Set.of("variation_seed", "autowebui");

    private WebUiInventory() {
    }

    static WebUiCatalog readAndAdvertise(SdApiClient api, String address, BackendContext context)
            throws WebUiException, InterruptedException {
        String checkpoint = checkpoint(api.get("options"), address);
        WebUiCatalog catalog = WebUiCatalog.read(api);
        Optional<String> model = CheckpointNames.match(checkpoint, catalog.titles());

        context.setFeatures(FEATURES);
        // SD-WebUI runs one generation at a time; more would only queue inside it.
        context.setMaxUsages(1);
        context.setCanLoadModels(true);
        context.setCurrentModel(model.orElse(checkpoint.isEmpty() ? null : CheckpointNames.modelName(checkpoint)));
        advertiseModels(catalog, address, context);
        context.setStatus(BackendStatus.RUNNING, "Running: SD-WebUI at " + address + " with "
                + model.map(name -> "model " + name).orElse(checkpoint.isEmpty() ? "no model loaded"
                        : "model " + CheckpointNames.modelName(checkpoint) + " (not in its checkpoint list)")
                + ", " + catalog.samplerNames().size() + " samplers");
        return catalog;
    }

    /** Reports the catalog's checkpoints to the host, and its samplers and schedulers to the operator's log. */
    static void advertiseModels(WebUiCatalog catalog, String address, BackendContext context) {
        context.setModels(Map.of(ModelType.STABLE_DIFFUSION, catalog.modelNames()));
        context.appendOutput("SD-WebUI at " + address + " offers " + catalog.samplerNames().size() + " samplers: "
                + String.join(", ", catalog.samplerNames()));
        if (!catalog.schedulerNames().isEmpty()) {
            context.appendOutput("SD-WebUI at " + address + " offers " + catalog.schedulerNames().size()
                    + " schedulers: " + String.join(", ", catalog.schedulerNames()));
        }
        context.appendOutput("SD-WebUI at " + address + " lists " + catalog.titles().size() + " checkpoints: "
                + String.join(", ", catalog.titles()));
    }

    private static String checkpoint(JsonElement options, String address) throws WebUiException {
        if (!options.isJsonObject()) {
            throw new WebUiException("SD-WebUI at " + address + " answered /sdapi/v1/options with no JSON object:"
                    + " is the address the WebUI's?");
        }
        JsonElement checkpoint = ((JsonObject) options).get("sd_model_checkpoint");
        return checkpoint == null || !checkpoint.isJsonPrimitive() ? "" : checkpoint.getAsString();
    }
}
