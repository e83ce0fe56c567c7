package dev.switchboard.benchmarks.dispatch;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The text-to-image graph the comfyui plugin sends for a request without extras (generation.md 3.1: SwarmUI's node
 * ids, {@code KSamplerAdvanced}, {@code SaveImage} with a random {@code SwarmUI_<hex>_} prefix), so the benchmark's
 * direct client gives the stand-ins exactly the work Switchboard's jobs give them.
 */
final class JobGraph {
    static final String PROMPT = "a lighthouse";
    static final int WIDTH = 64;
    static final int HEIGHT = 64;
    static final int STEPS = 1;
    static final double CFG = 7;

    private JobGraph() {
    }

    static JsonObject build(long seed) {
        JsonObject graph = new JsonObject();
        JsonObject loader = new JsonObject();
        loader.addProperty("ckpt_name", StandInFarm.MODEL_FILE);
        node(graph, "4", "CheckpointLoaderSimple", loader);
        JsonObject latent = new JsonObject();
        latent.addProperty("width", WIDTH);
        latent.addProperty("height", HEIGHT);
        latent.addProperty("batch_size", 1);
        node(graph, "5", "EmptyLatentImage", latent);
        node(graph, "6", "CLIPTextEncode", text(PROMPT));
        node(graph, "7", "CLIPTextEncode", text(""));
        JsonObject sampler = new JsonObject();
        sampler.add("model", link("4", 0));
        sampler.addProperty("add_noise", "enable");
        sampler.addProperty("noise_seed", seed);
        sampler.addProperty("steps", STEPS);
        sampler.addProperty("cfg", CFG);
        sampler.addProperty("sampler_name", "euler");
        sampler.addProperty("scheduler", "normal");
        sampler.add("positive", link("6", 0));
        sampler.add("negative", link("7", 0));
        sampler.add("latent_image", link("5", 0));
        sampler.addProperty("start_at_step", 0);
        sampler.addProperty("end_at_step", 10000);
        sampler.addProperty("return_with_leftover_noise", "disable");
        node(graph, "10", "KSamplerAdvanced", sampler);
        JsonObject decode = new JsonObject();
        decode.add("samples", link("10", 0));
        decode.add("vae", link("4", 2));
        node(graph, "8", "VAEDecode", decode);
        JsonObject save = new JsonObject();
        save.add("images", link("8", 0));
        byte[] random = new byte[8];
        ThreadLocalRandom.current().nextBytes(random);
        save.addProperty("filename_prefix", "SwarmUI_" + HexFormat.of().formatHex(random) + "_");
        node(graph, "9", "SaveImage", save);
        return graph;
    }

    private static JsonObject text(String prompt) {
        JsonObject inputs = new JsonObject();
        inputs.addProperty("text", prompt);
        inputs.add("clip", link("4", 1));
        return inputs;
    }

    private static void node(JsonObject graph, String id, String classType, JsonObject inputs) {
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
