package dev.switchboard.plugins.comfyui.generation;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.switchboard.api.generation.GenerationException;
import dev.switchboard.api.generation.GenerationParameters;
import dev.switchboard.api.generation.LoraWeight;
import dev.switchboard.plugins.comfyui.connection.ObjectInfo;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * SwarmUI's text-to-image graph (generation.md 3.1) with the additions of 3.2, in ComfyUI's API format and with
 * SwarmUI's node ids: checkpoint loader {@code 4}, empty latent {@code 5}, prompts {@code 6} and {@code 7},
 * {@code KSamplerAdvanced} {@code 10}, decoder {@code 8}, save node {@code 9} ({@code SwarmSaveImageWS} when the
 * server has it, else {@code SaveImage} with a {@code SwarmUI_<hex>_} prefix); LoRA loaders, a VAE loader and
 * {@code CLIPSetLastLayer} get the ids from 100 on, as SwarmUI's other nodes do. Model names are written with the
 * server's folder separator.
 */
final class StandardGraph {
    private static final String SAVE_WS = "SwarmSaveImageWS";
    private static final int FIRST_EXTRA_ID = 100;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ObjectInfo info;
    private final JsonObject graph = new JsonObject();
    private int nextId = FIRST_EXTRA_ID;

    private StandardGraph(ObjectInfo info) {
        this.info = info;
    }

    /**
     * Builds the graph of one job.
     *
     * @param parameters the job's parameters; the model must be set
     * @param info what the server listed: its separator and whether it has {@code SwarmSaveImageWS}
     * @return the API-format graph
     * @throws GenerationException when the parameters name no model
     */
    static JsonObject build(GenerationParameters parameters, ObjectInfo info) throws GenerationException {
        String model = parameters.model().orElseThrow(
                () -> new GenerationException("No model input given. Did your UI load properly?"));
        return new StandardGraph(info).add(parameters, model);
    }

    private JsonObject add(GenerationParameters parameters, String model) {
        JsonObject loader = new JsonObject();
        loader.addProperty("ckpt_name", info.serverName(model));
        node("4", "CheckpointLoaderSimple", loader);
        JsonArray modelOut = link("4", 0);
        JsonArray clipOut = link("4", 1);
        JsonArray vaeOut = link("4", 2);
        for (LoraWeight lora : parameters.loras()) {
            JsonObject inputs = new JsonObject();
            inputs.add("model", modelOut);
            inputs.add("clip", clipOut);
            inputs.addProperty("lora_name", info.serverName(lora.name()));
            inputs.addProperty("strength_model", lora.weight());
            inputs.addProperty("strength_clip", lora.textEncoderWeight());
            String id = extra("LoraLoader", inputs);
            modelOut = link(id, 0);
            clipOut = link(id, 1);
        }
        if (parameters.clipStopAtLayer().isPresent()) {
            JsonObject inputs = new JsonObject();
            inputs.add("clip", clipOut);
            inputs.addProperty("stop_at_clip_layer", parameters.clipStopAtLayer().getAsInt());
            clipOut = link(extra("CLIPSetLastLayer", inputs), 0);
        }
        if (parameters.vae().isPresent()) {
            JsonObject inputs = new JsonObject();
            inputs.addProperty("vae_name", info.serverName(parameters.vae().get()));
            vaeOut = link(extra("VAELoader", inputs), 0);
        }
        JsonObject latent = new JsonObject();
        latent.addProperty("width", parameters.width());
        latent.addProperty("height", parameters.height());
        latent.addProperty("batch_size", parameters.batchSize());
        node("5", "EmptyLatentImage", latent);
        node("6", "CLIPTextEncode", text(parameters.prompt(), clipOut));
        node("7", "CLIPTextEncode", text(parameters.negativePrompt(), clipOut));
        JsonObject sampler = new JsonObject();
        sampler.add("model", modelOut);
        sampler.addProperty("add_noise", "enable");
        sampler.addProperty("noise_seed", parameters.seed());
        sampler.addProperty("steps", parameters.steps());
        sampler.addProperty("cfg", parameters.cfgScale());
        sampler.addProperty("sampler_name", parameters.sampler().orElse("euler"));
        sampler.addProperty("scheduler", parameters.scheduler().orElse("normal"));
        sampler.add("positive", link("6", 0));
        sampler.add("negative", link("7", 0));
        sampler.add("latent_image", link("5", 0));
        sampler.addProperty("start_at_step", 0);
        sampler.addProperty("end_at_step", 10000);
        sampler.addProperty("return_with_leftover_noise", "disable");
        node("10", "KSamplerAdvanced", sampler);
        JsonObject decode = new JsonObject();
        decode.add("samples", link("10", 0));
        decode.add("vae", vaeOut);
        node("8", "VAEDecode", decode);
        JsonObject save = new JsonObject();
        save.add("images", link("8", 0));
        if (info.hasNode(SAVE_WS)) {
            save.addProperty("bit_depth", "8bit");
            node("9", SAVE_WS, save);
        } else {
            byte[] random = new byte[8];
            RANDOM.nextBytes(random);
            save.addProperty("filename_prefix", "SwarmUI_" + HexFormat.of().formatHex(random) + "_");
            node("9", "SaveImage", save);
        }
        return graph;
    }

    private JsonObject text(String prompt, JsonArray clip) {
        JsonObject inputs = new JsonObject();
        inputs.addProperty("text", PromptText.forComfyUi(prompt, info.usesBackslashPaths()));
        inputs.add("clip", clip);
        return inputs;
    }

    private String extra(String classType, JsonObject inputs) {
        String id = Integer.toString(nextId++);
        node(id, classType, inputs);
        return id;
    }

    private void node(String id, String classType, JsonObject inputs) {
        JsonObject node = new JsonObject();
        node.addProperty("class_type", classType);
        node.add("inputs", inputs);
        graph.add(id, node);
    }

    private static JsonArray link(String node, int output) {
        JsonArray link = new JsonArray();
        link.add(node);
        link.add(output);
        return link;
    }
}
