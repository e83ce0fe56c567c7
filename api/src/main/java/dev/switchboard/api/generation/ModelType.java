package dev.switchboard.api.generation;

import java.util.Locale;
import java.util.Optional;

/**
 * The kinds of model file a backend reports and a request can name, with SwarmUI's sub-type names (the
 * {@code subtype} of its {@code ListModels} route).
 *
 * @since 1.0
 */
public enum ModelType {
    /** Main models (checkpoints): {@code Stable-Diffusion}. */
    STABLE_DIFFUSION("Stable-Diffusion"),
    /** LoRA adapters: {@code LoRA}. */
    LORA("LoRA"),
    /** Image decoders: {@code VAE}. */
    VAE("VAE"),
    /** Textual-inversion embeddings: {@code Embedding}. */
    EMBEDDING("Embedding"),
    /** ControlNet models: {@code ControlNet}. */
    CONTROLNET("ControlNet"),
    /** Text encoders: {@code Clip}. */
    CLIP("Clip"),
    /** Image encoders: {@code ClipVision}. */
    CLIP_VISION("ClipVision");

    private final String wireName;

    ModelType(String wireName) {
        this.wireName = wireName;
    }

    /**
     * Returns SwarmUI's name of the sub-type.
     *
     * @return e.g. {@code Stable-Diffusion}
     */
    public String wireName() {
        return wireName;
    }

    /**
     * Finds a sub-type by SwarmUI's name, ignoring case.
     *
     * @param name e.g. {@code lora}
     * @return the sub-type, or empty when there is none of that name
     */
    public static Optional<ModelType> fromWireName(String name) {
        for (ModelType type : values()) {
            if (type.wireName.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
