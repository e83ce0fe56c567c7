package dev.switchboard.examples.autowebui;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import dev.switchboard.api.generation.GenerationException;
import dev.switchboard.api.generation.GenerationParameters;

/**
 * Turns a job's parameters into the body of SD-WebUI's {@code POST /sdapi/v1/txt2img}, refusing (with a message the
 * user reads) what this backend cannot honour.
 */
final class Txt2ImgBody {
    private static final Gson GSON = new Gson();

    private Txt2ImgBody() {
    }

    static String of(GenerationParameters parameters, WebUiCatalog catalog, String address)
            throws GenerationException {
        if (parameters.workflow().isPresent()) {
            throw new GenerationException("SD-WebUI backends run no ComfyUI workflows.");
        }
        if (!parameters.loras().isEmpty()) {
            // The host sends LoRAs only to backends that list them; this one lists none.
            throw new GenerationException("SD-WebUI at " + address + " lists no LoRA models, so it cannot apply '"
                    + parameters.loras().get(0).name() + "'.");
        }
        if (parameters.vae().isPresent()) {
            throw new GenerationException("SD-WebUI at " + address + " lists no VAE models, so it cannot use '"
                    + parameters.vae().get() + "'.");
        }
        if (parameters.steps() < 1) {
            throw new GenerationException("SD-WebUI samples at least one step; 0 steps were asked for.");
        }
        String model = parameters.model().orElseThrow(() -> new GenerationException("No model was given."));
        String title = catalog.title(model).orElseThrow(() -> new GenerationException("SD-WebUI at " + address
                + " has no checkpoint '" + model + "' (any more): refresh the model lists."));

        JsonObject body = new JsonObject();
        body.addProperty("prompt", parameters.prompt());
        body.addProperty("negative_prompt", parameters.negativePrompt());
        body.addProperty("seed", parameters.seed());
        body.addProperty("steps", parameters.steps());
        body.addProperty("cfg_scale", parameters.cfgScale());
        body.addProperty("width", parameters.width());
        body.addProperty("height", parameters.height());
        body.addProperty("batch_size", parameters.batchSize());
        body.addProperty("n_iter", 1);
        if (parameters.sampler().isPresent()) {
            String wanted = parameters.sampler().get();
            body.addProperty("sampler_name", catalog.sampler(wanted).orElseThrow(() -> new GenerationException(
                    "SD-WebUI at " + address + " has no sampler '" + wanted + "' (it has "
                            + String.join(", ", catalog.samplerNames()) + ").")));
        }
        if (parameters.scheduler().isPresent()) {
            String wanted = parameters.scheduler().get();
            body.addProperty("scheduler", catalog.scheduler(wanted).orElseThrow(() -> new GenerationException(
                    "SD-WebUI at " + address + " has no scheduler '" + wanted + "'"
                            + (catalog.schedulerNames().isEmpty() ? " (it is older than 1.9, which added them)."
                            : " (it has " + String.join(", ", catalog.schedulerNames()) + ")."))));
        }
        addVariationSeed(parameters, body);
        JsonObject overrides = new JsonObject();
        overrides.addProperty("sd_model_checkpoint", title);
        // SwarmUI counts CLIP layers from the end as -1, -2, ...; SD-WebUI as 1, 2, ...
        parameters.clipStopAtLayer().ifPresent(layer -> overrides.addProperty("CLIP_stop_at_last_layers", -layer));
        body.add("override_settings", overrides);
        // Keep the checkpoint loaded: restoring it would reload the previous model after every job.
        body.addProperty("override_settings_restore_afterwards", false);
        body.addProperty("send_images", true);
        body.addProperty("save_images", false);
        return GSON.toJson(body);
    }

    /** The {@code variation_seed} feature: SwarmUI's {@code variationseed} and {@code variationseedstrength}. */
    private static void addVariationSeed(GenerationParameters parameters, JsonObject body) throws GenerationException {
        String strengthText = parameters.raw().get("variationseedstrength");
        if (strengthText == null) {
            return;
        }
        double strength;
        long seed;
        try {
            strength = Double.parseDouble(strengthText);
            seed = Long.parseLong(parameters.raw().getOrDefault("variationseed", "-1"));
        } catch (NumberFormatException e) {
            throw new GenerationException("The variation seed and its strength must be numbers.");
        }
        if (strength > 0) {
            body.addProperty("subseed", seed);
            body.addProperty("subseed_strength", strength);
        }
    }
}
