package dev.switchboard.plugins.swarm;

import com.google.gson.JsonObject;
import dev.switchboard.api.generation.GenerationParameters;
import dev.switchboard.api.generation.LoraWeight;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The body a child sends its remote for one job, as a SwarmUI master forwards a generation (generation.md 1.3): the
 * job's parameters by SwarmUI's ids with JSON types (numbers, text, lists joined by {@code ,}, models without
 * {@code .safetensors}), one image, {@code donotsave}, {@code exactbackendid} the linked remote backend as a JSON
 * integer, and {@code forwardswarmdata}. The session is added by the caller.
 */
final class ForwardedRequest {
    private static final String SAFETENSORS = ".safetensors";

    private ForwardedRequest() {
    }

    /**
     * @param parameters the job's parameters (seed final, models as this child listed them)
     * @param remoteId the linked remote backend's id
     */
    static JsonObject body(GenerationParameters parameters, int remoteId) {
        JsonObject body = new JsonObject();
        body.addProperty("images", 1);
        body.addProperty("prompt", parameters.prompt());
        body.addProperty("negativeprompt", parameters.negativePrompt());
        parameters.model().ifPresent(model -> body.addProperty("model", withoutSafetensors(model)));
        body.addProperty("seed", parameters.seed());
        body.addProperty("steps", parameters.steps());
        body.addProperty("cfgscale", parameters.cfgScale());
        body.addProperty("width", parameters.width());
        body.addProperty("height", parameters.height());
        body.addProperty("batchsize", parameters.batchSize());
        parameters.sampler().ifPresent(sampler -> body.addProperty("sampler", sampler));
        parameters.scheduler().ifPresent(scheduler -> body.addProperty("scheduler", scheduler));
        parameters.vae().ifPresent(vae -> body.addProperty("vae", withoutSafetensors(vae)));
        parameters.clipStopAtLayer().ifPresent(layer -> body.addProperty("clipstopatlayer", layer));
        List<LoraWeight> loras = parameters.loras();
        if (!loras.isEmpty()) {
            body.addProperty("loras", loras.stream().map(lora -> withoutSafetensors(lora.name()))
                    .collect(Collectors.joining(",")));
            body.addProperty("loraweights", loras.stream().map(lora -> number(lora.weight()))
                    .collect(Collectors.joining(",")));
            body.addProperty("loratencweights", loras.stream().map(lora -> number(lora.textEncoderWeight()))
                    .collect(Collectors.joining(",")));
        }
        parameters.workflow().ifPresent(workflow -> body.addProperty("comfyworkflowraw", workflow));
        body.addProperty("donotsave", true);
        body.addProperty("exactbackendid", remoteId);
        body.addProperty("forwardswarmdata", true);
        return body;
    }

    /** SwarmUI's master sends model names without {@code .safetensors}; other extensions are kept. */
    static String withoutSafetensors(String model) {
        return model.endsWith(SAFETENSORS) ? model.substring(0, model.length() - SAFETENSORS.length()) : model;
    }

    /** A weight in the invariant text form SwarmUI reads ({@code 1}, {@code 0.5}). */
    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : Double.toString(value);
    }
}
