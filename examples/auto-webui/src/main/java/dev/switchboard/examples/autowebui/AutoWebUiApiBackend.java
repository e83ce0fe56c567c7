package dev.switchboard.examples.autowebui;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.switchboard.api.Backend;
import dev.switchboard.api.BackendContext;
import dev.switchboard.api.BackendStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One {@code auto_webui_api} instance. {@code init()} reads the WebUI's options (the loaded checkpoint), its
 * samplers and its checkpoints, then reports {@code running}; any failure is thrown, so the server retries and
 * finally shows it {@code errored} with the message. No memory freeing: SD-WebUI's API has none.
 */
final class AutoWebUiApiBackend implements Backend {
    static final Set<String> FEATURES = Set.of("variation_seed", "autowebui");

    private final BackendContext context;
    private volatile SdApiClient client;
    private volatile boolean shutDown;

    AutoWebUiApiBackend(BackendContext context) {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public void init() throws Exception {
        String address = context.settings().getString(AutoWebUiSettings.ADDRESS).trim();
        if (address.isEmpty()) {
            context.setStatus(BackendStatus.DISABLED, "Set Address to the WebUI's address (e.g. "
                    + WebUiAddress.EXAMPLE + ") to use this backend.");
            return;
        }
        SdApiClient api = new SdApiClient(address);
        client = api;
        if (shutDown) {
            // shutdown() ran before the client existed: it could not close it.
            api.close();
            return;
        }
        context.setStatus(BackendStatus.LOADING, "Connecting to SD-WebUI at " + address);
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

    @Override
    public void shutdown() {
        shutDown = true;
        SdApiClient api = client;
        if (api != null) {
            api.close();
        }
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
