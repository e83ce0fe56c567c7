package dev.switchboard.server.generation;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import dev.switchboard.api.generation.GenerationParameters;
import dev.switchboard.api.generation.LoraWeight;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The parameters an image was made with, by SwarmUI's parameter ids, as they are embedded in saved images and
 * sent with each image: what the job actually used (the model's listed name, the job's seed).
 */
final class ImageMetadata {
    private static final Gson JSON = new GsonBuilder().disableHtmlEscaping().create();

    private ImageMetadata() {
    }

    /** @return the parameters as JSON text, SwarmUI's {@code sui_image_params} object */
    static String json(Map<String, Object> parameters) {
        return JSON.toJson(Map.of("sui_image_params", parameters));
    }

    static Map<String, Object> of(GenerationParameters parameters) {
        Map<String, Object> used = new LinkedHashMap<>();
        used.put("prompt", parameters.prompt());
        used.put("negativeprompt", parameters.negativePrompt());
        parameters.model().ifPresent(model -> used.put("model", model));
        used.put("seed", parameters.seed());
        used.put("steps", parameters.steps());
        used.put("cfgscale", parameters.cfgScale());
        used.put("width", parameters.width());
        used.put("height", parameters.height());
        parameters.sampler().ifPresent(sampler -> used.put("sampler", sampler));
        parameters.scheduler().ifPresent(scheduler -> used.put("scheduler", scheduler));
        if (parameters.batchSize() != 1) {
            used.put("batchsize", parameters.batchSize());
        }
        if (!parameters.loras().isEmpty()) {
            used.put("loras", parameters.loras().stream().map(LoraWeight::name).collect(Collectors.joining(",")));
            used.put("loraweights", parameters.loras().stream().map(lora -> Double.toString(lora.weight()))
                    .collect(Collectors.joining(",")));
        }
        parameters.vae().ifPresent(vae -> used.put("vae", vae));
        parameters.clipStopAtLayer().ifPresent(layer -> used.put("clipstopatlayer", layer));
        if (parameters.workflow().isPresent()) {
            used.put("comfyworkflowraw", true);
        }
        return used;
    }
}
