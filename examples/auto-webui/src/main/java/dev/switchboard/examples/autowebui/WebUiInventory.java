package dev.switchboard.examples.autowebui;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.switchboard.api.BackendContext;
import dev.switchboard.api.BackendStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads what a reachable WebUI offers (its loaded checkpoint, samplers and checkpoints), advertises it through
 * the context and reports {@code running}: the end of both types' {@code init()}.
 */
final class WebUiInventory {
    static final Set<String> FEATURES = Set.of("variation_seed", "autowebui");

    private WebUiInventory() {
    }

    static void readAndAdvertise(SdApiClient api, String address, BackendContext context)
            throws WebUiException, InterruptedException {
        String checkpoint = checkpoint(api.get("options"), address);
        List<String> samplers = names(api.get("samplers"), "name", "samplers", address);
        List<String> models = names(api.get("sd-models"), "title", "sd-models", address);
        Optional<String> model = CheckpointNames.match(checkpoint, models);

        context.setFeatures(FEATURES);
        context.setMaxUsages(1);
        context.setCanLoadModels(true);
        context.setCurrentModel(model.orElse(checkpoint.isEmpty() ? null : CheckpointNames.withoutHash(checkpoint)));
        context.appendOutput("SD-WebUI at " + address + " offers " + samplers.size() + " samplers: "
                + String.join(", ", samplers));
        context.appendOutput("SD-WebUI at " + address + " lists " + models.size() + " checkpoints: "
                + String.join(", ", models));
        context.setStatus(BackendStatus.RUNNING, "Running: SD-WebUI at " + address + " with "
                + model.map(name -> "model " + name).orElse(checkpoint.isEmpty() ? "no model loaded"
                        : "model " + CheckpointNames.withoutHash(checkpoint) + " (not in its checkpoint list)")
                + ", " + samplers.size() + " samplers");
    }

    private static String checkpoint(JsonElement options, String address) throws WebUiException {
        if (!options.isJsonObject()) {
            throw new WebUiException("SD-WebUI at " + address + " answered /sdapi/v1/options with no JSON object:"
                    + " is the address the WebUI's?");
        }
        JsonElement checkpoint = ((JsonObject) options).get("sd_model_checkpoint");
        return checkpoint == null || !checkpoint.isJsonPrimitive() ? "" : checkpoint.getAsString();
    }

    private static List<String> names(JsonElement list, String field, String route, String address)
            throws WebUiException {
        if (!list.isJsonArray()) {
            throw new WebUiException("SD-WebUI at " + address + " answered /sdapi/v1/" + route + " with no JSON"
                    + " list: is the address the WebUI's?");
        }
        List<String> names = new ArrayList<>();
        for (JsonElement item : list.getAsJsonArray()) {
            JsonElement name = item.isJsonObject() ? item.getAsJsonObject().get(field) : null;
            if (name != null && name.isJsonPrimitive()) {
                names.add(name.getAsString());
            }
        }
        return names;
    }
}
