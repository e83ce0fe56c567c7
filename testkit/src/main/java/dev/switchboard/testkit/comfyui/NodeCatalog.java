package dev.switchboard.testkit.comfyui;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The node types the stand-in serves on {@code /object_info}: entries copied from a real ComfyUI's answer,
 * whose model option lists tests can fill. Thread-safe.
 */
final class NodeCatalog {

    /** The resource holding the recorded node entries. */
    static final String RESOURCE = "/dev/switchboard/testkit/comfyui/object_info.json";

    /** The input that lists a loader's models, for the loaders whose model input is not the first one. */
    private static final Map<String, String> MODEL_INPUTS = Map.of(
            "CheckpointLoaderSimple", "ckpt_name",
            "UNETLoader", "unet_name",
            "UnetLoaderGGUF", "unet_name",
            "TensorRTLoader", "unet_name",
            "LoraLoader", "lora_name",
            "VAELoader", "vae_name",
            "ControlNetLoader", "control_net_name",
            "CLIPVisionLoader", "clip_name",
            "SwarmEmbedLoaderListProvider", "embed_name");

    private final JsonObject nodes;

    private NodeCatalog(JsonObject nodes) {
        this.nodes = requireNonNull(nodes, "nodes is null");
    }

    /** Loads the recorded node entries shipped with the testkit. */
    static NodeCatalog recorded() {
        try (InputStream in = NodeCatalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new NodeCatalog(JsonParser.parseString(text).getAsJsonObject());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /** Returns the whole {@code /object_info} body. */
    synchronized String allAsJson() {
        return nodes.toString();
    }

    /** Returns the {@code /object_info/<node>} body: the node keyed by its name, or {@code {}}. */
    synchronized String oneAsJson(String name) {
        JsonObject answer = new JsonObject();
        JsonElement entry = nodes.get(name);
        if (entry != null) {
            answer.add(name, entry.deepCopy());
        }
        return answer.toString();
    }

    /** Returns a copy of one node type's entry, or empty when the stand-in does not serve that type. */
    synchronized Optional<JsonObject> entry(String name) {
        JsonElement entry = nodes.get(name);
        return entry != null && entry.isJsonObject() ? Optional.of(entry.getAsJsonObject().deepCopy())
                : Optional.empty();
    }

    synchronized void remove(String name) {
        nodes.remove(name);
    }

    synchronized List<String> names() {
        return List.copyOf(nodes.keySet());
    }

    synchronized void add(String name, String entryJson) {
        requireNonNull(name, "name is null");
        requireNonNull(entryJson, "entryJson is null");
        JsonElement entry = JsonParser.parseString(entryJson);
        if (!entry.isJsonObject() || !entry.getAsJsonObject().has("input")) {
            throw new IllegalArgumentException("a node entry is a JSON object with an \"input\" key, got: "
                    + entryJson);
        }
        nodes.add(name, entry);
    }

    synchronized void setModels(String loaderNode, List<String> names) {
        requireNonNull(loaderNode, "loaderNode is null");
        JsonArray options = new JsonArray();
        for (String name : List.copyOf(names)) {
            options.add(name);
        }
        JsonArray spec = modelInputSpec(loaderNode);
        if (spec.size() > 0 && spec.get(0).isJsonArray()) {
            spec.set(0, options);
        } else if (spec.size() > 1 && "COMBO".equals(stringOrNull(spec.get(0))) && spec.get(1).isJsonObject()) {
            spec.get(1).getAsJsonObject().add("options", options);
        } else {
            throw new IllegalArgumentException("the model input of " + loaderNode + " is not an option list: " + spec);
        }
    }

    private JsonArray modelInputSpec(String loaderNode) {
        JsonElement entry = nodes.get(loaderNode);
        if (entry == null) {
            throw new IllegalArgumentException("the stand-in serves no node named " + loaderNode
                    + "; add it with addNode(...) first");
        }
        JsonObject required = Optional.ofNullable(entry.getAsJsonObject().getAsJsonObject("input"))
                .map(input -> input.getAsJsonObject("required"))
                .orElseThrow(() -> new IllegalArgumentException(loaderNode + " has no required inputs"));
        String inputName = MODEL_INPUTS.get(loaderNode);
        if (inputName == null) {
            inputName = required.keySet().stream().findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(loaderNode + " has no required inputs"));
        }
        JsonElement spec = required.get(inputName);
        if (spec == null || !spec.isJsonArray()) {
            throw new IllegalArgumentException(loaderNode + " has no input " + inputName);
        }
        return spec.getAsJsonArray();
    }

    private static String stringOrNull(JsonElement element) {
        return element.isJsonPrimitive() && element.getAsJsonPrimitive().isString() ? element.getAsString() : null;
    }
}
