package dev.switchboard.plugins.comfyui.connection;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The kinds of model a ComfyUI server lists, and the loader-node inputs whose option lists name them.
 * The sub-type names are SwarmUI's.
 */
public enum ModelKind {
    /** Main diffusion models: checkpoints and bare UNets (including GGUF and TensorRT builds). */
    STABLE_DIFFUSION("Stable-Diffusion", List.of(
            new LoaderInput("CheckpointLoaderSimple", "ckpt_name"),
            new LoaderInput("UNETLoader", "unet_name"),
            new LoaderInput("UnetLoaderGGUF", "unet_name"),
            new LoaderInput("TensorRTLoader", "unet_name"))),
    /** LoRA adapters. */
    LORA("LoRA", List.of(new LoaderInput("LoraLoader", "lora_name"))),
    /** VAEs. */
    VAE("VAE", List.of(new LoaderInput("VAELoader", "vae_name"))),
    /** ControlNets. */
    CONTROLNET("ControlNet", List.of(new LoaderInput("ControlNetLoader", "control_net_name"))),
    /** CLIP vision encoders. */
    CLIP_VISION("ClipVision", List.of(new LoaderInput("CLIPVisionLoader", "clip_name"))),
    /** Textual-inversion embeddings, listed by SwarmUI's helper node. */
    EMBEDDING("Embedding", List.of(new LoaderInput("SwarmEmbedLoaderListProvider", "embed_name")));

    private final String subtype;
    private final List<LoaderInput> loaders;

    ModelKind(String subtype, List<LoaderInput> loaders) {
        this.subtype = subtype;
        this.loaders = loaders;
    }

    /**
     * Returns SwarmUI's name of this model sub-type.
     *
     * @return e.g. {@code Stable-Diffusion}
     */
    public String subtype() {
        return subtype;
    }

    /**
     * Returns the loader inputs listing models of this kind.
     *
     * @return the inputs, in the order their lists are merged
     */
    public List<LoaderInput> loaders() {
        return loaders;
    }

    /**
     * One input of a loader node whose option list names models.
     *
     * @param node the node type, e.g. {@code CheckpointLoaderSimple}
     * @param input the required input, e.g. {@code ckpt_name}
     */
    public record LoaderInput(String node, String input) {
        /**
         * Checks the fields.
         *
         * @param node the node type, never null
         * @param input the input name, never null
         */
        public LoaderInput {
            requireNonNull(node, "node is null");
            requireNonNull(input, "input is null");
        }
    }
}
