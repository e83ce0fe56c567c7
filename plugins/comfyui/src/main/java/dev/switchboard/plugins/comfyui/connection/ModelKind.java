package dev.switchboard.plugins.comfyui.connection;

import static java.util.Objects.requireNonNull;

import dev.switchboard.api.generation.ModelType;

/**
 * The kinds of model a ComfyUI backend reports, each read from the option list of one loader node's input, as
 * generation.md 5.2 #1 lists them. Main models are only what {@code CheckpointLoaderSimple} loads: the generator's
 * graph loads the model with that node, so a file only a UNET loader lists is no model it can use.
 */
public enum ModelKind {
    /** Checkpoints: {@code CheckpointLoaderSimple.ckpt_name}. */
    STABLE_DIFFUSION(ModelType.STABLE_DIFFUSION, new LoaderInput("CheckpointLoaderSimple", "ckpt_name")),
    /** LoRA adapters: {@code LoraLoader.lora_name}. */
    LORA(ModelType.LORA, new LoaderInput("LoraLoader", "lora_name")),
    /** VAEs: {@code VAELoader.vae_name}. */
    VAE(ModelType.VAE, new LoaderInput("VAELoader", "vae_name")),
    /** ControlNets: {@code ControlNetLoader.control_net_name}. */
    CONTROLNET(ModelType.CONTROLNET, new LoaderInput("ControlNetLoader", "control_net_name")),
    /** Text encoders: {@code CLIPLoader.clip_name}. */
    CLIP(ModelType.CLIP, new LoaderInput("CLIPLoader", "clip_name")),
    /** CLIP vision encoders: {@code CLIPVisionLoader.clip_name}. */
    CLIP_VISION(ModelType.CLIP_VISION, new LoaderInput("CLIPVisionLoader", "clip_name")),
    /** Textual-inversion embeddings, listed by SwarmUI's node {@code SwarmEmbedLoaderListProvider.embed_name}. */
    EMBEDDING(ModelType.EMBEDDING, new LoaderInput("SwarmEmbedLoaderListProvider", "embed_name"));

    private final ModelType modelType;
    private final LoaderInput loader;

    ModelKind(ModelType modelType, LoaderInput loader) {
        this.modelType = modelType;
        this.loader = loader;
    }

    /**
     * Returns the api's model type, whose name is SwarmUI's sub-type.
     *
     * @return e.g. {@link ModelType#STABLE_DIFFUSION}
     */
    public ModelType modelType() {
        return modelType;
    }

    /**
     * Returns SwarmUI's name of this model sub-type.
     *
     * @return e.g. {@code Stable-Diffusion}
     */
    public String subtype() {
        return modelType.wireName();
    }

    /**
     * Returns the loader input listing models of this kind.
     *
     * @return the input
     */
    public LoaderInput loader() {
        return loader;
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
