package dev.switchboard.api.generation;

import java.util.Objects;

/**
 * One LoRA applied to a generation.
 *
 * @param name the LoRA file's name exactly as the backend listed it
 * @param weight its strength on the model
 * @param textEncoderWeight its strength on the text encoder (the same as {@code weight} unless the client set it)
 * @since 1.0
 */
public record LoraWeight(String name, double weight, double textEncoderWeight) {
    /**
     * Checks the name.
     *
     * @param name the LoRA's name, never null
     * @param weight its strength on the model
     * @param textEncoderWeight its strength on the text encoder
     * @throws NullPointerException when {@code name} is null
     */
    public LoraWeight {
        Objects.requireNonNull(name, "name is null");
    }
}
