package dev.switchboard.api.generation;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What one job makes: the standard text-to-image parameters, typed and validated by the host, or an
 * engine-native {@linkplain #workflow() workflow}, plus every parameter as the client sent it. A generator
 * must honour every standard parameter (the host refuses requests that need more than the standard set, so
 * nothing a client asked for is silently dropped). Immutable; build with {@link #builder()}.
 *
 * @since 1.0
 */
public final class GenerationParameters {
    private final String model;
    private final String prompt;
    private final String negativePrompt;
    private final long seed;
    private final int steps;
    private final double cfgScale;
    private final String sampler;
    private final String scheduler;
    private final int width;
    private final int height;
    private final int batchSize;
    private final List<LoraWeight> loras;
    private final String vae;
    private final Integer clipStopAtLayer;
    private final String workflow;
    private final Map<String, String> raw;

    private GenerationParameters(Builder builder) {
        this.model = builder.model;
        this.prompt = builder.prompt;
        this.negativePrompt = builder.negativePrompt;
        this.seed = builder.seed;
        this.steps = builder.steps;
        this.cfgScale = builder.cfgScale;
        this.sampler = builder.sampler;
        this.scheduler = builder.scheduler;
        this.width = builder.width;
        this.height = builder.height;
        this.batchSize = builder.batchSize;
        this.loras = List.copyOf(builder.loras);
        this.vae = builder.vae;
        this.clipStopAtLayer = builder.clipStopAtLayer;
        this.workflow = builder.workflow;
        this.raw = Collections.unmodifiableMap(new LinkedHashMap<>(builder.raw));
    }

    /**
     * Starts a builder with SwarmUI's defaults: empty prompts, seed 0, 20 steps, CFG scale 7, 512 by 512, one
     * image per batch, no LoRAs, the engine's own sampler, scheduler and VAE.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the main model, exactly as the backend listed it ({@code /} separators, extension included).
     *
     * @return the model, or empty for a workflow that names its own models
     */
    public Optional<String> model() {
        return Optional.ofNullable(model);
    }

    /** @return the prompt, never null (may be empty) */
    public String prompt() {
        return prompt;
    }

    /** @return the negative prompt, never null (may be empty) */
    public String negativePrompt() {
        return negativePrompt;
    }

    /** @return the seed of this job's first image (the host has already turned SwarmUI's -1 into a number) */
    public long seed() {
        return seed;
    }

    /** @return the sampling steps, 0 or more */
    public int steps() {
        return steps;
    }

    /** @return the classifier-free guidance scale */
    public double cfgScale() {
        return cfgScale;
    }

    /** @return the sampler's engine name (e.g. {@code euler}), or empty for the engine's default */
    public Optional<String> sampler() {
        return Optional.ofNullable(sampler);
    }

    /** @return the scheduler's engine name (e.g. {@code normal}), or empty for the engine's default */
    public Optional<String> scheduler() {
        return Optional.ofNullable(scheduler);
    }

    /** @return the image width in pixels */
    public int width() {
        return width;
    }

    /** @return the image height in pixels */
    public int height() {
        return height;
    }

    /** @return how many images this one run makes, 1 or more */
    public int batchSize() {
        return batchSize;
    }

    /** @return the LoRAs to apply, in order; never null */
    public List<LoraWeight> loras() {
        return loras;
    }

    /** @return the VAE to decode with, as the backend listed it, or empty for the model's own */
    public Optional<String> vae() {
        return Optional.ofNullable(vae);
    }

    /** @return the CLIP layer to stop at (-24 to -1), or empty for the model's default */
    public OptionalInt clipStopAtLayer() {
        return clipStopAtLayer == null ? OptionalInt.empty() : OptionalInt.of(clipStopAtLayer);
    }

    /**
     * Returns an engine-native workflow to run instead of the standard graph (for ComfyUI: an API-format graph as
     * JSON text), with the request's values already filled in. When present, it rules; the standard parameters
     * then only describe the request.
     *
     * @return the workflow text, or empty for a standard text-to-image job
     */
    public Optional<String> workflow() {
        return Optional.ofNullable(workflow);
    }

    /**
     * Returns every parameter of the request as the client sent it, keyed by SwarmUI's parameter id (lower-case
     * letters, e.g. {@code cfgscale}), values as text. For engines that understand more than the standard set.
     *
     * @return an unmodifiable map in the request's order
     */
    public Map<String, String> raw() {
        return raw;
    }

    /** @return a builder holding these values, to derive changed parameters from */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.model = model;
        builder.prompt = prompt;
        builder.negativePrompt = negativePrompt;
        builder.seed = seed;
        builder.steps = steps;
        builder.cfgScale = cfgScale;
        builder.sampler = sampler;
        builder.scheduler = scheduler;
        builder.width = width;
        builder.height = height;
        builder.batchSize = batchSize;
        builder.loras = loras;
        builder.vae = vae;
        builder.clipStopAtLayer = clipStopAtLayer;
        builder.workflow = workflow;
        builder.raw = raw;
        return builder;
    }

    @Override
    public String toString() {
        return "GenerationParameters[model=" + model + ", seed=" + seed + ", steps=" + steps + ", " + width + "x"
                + height + ", batch=" + batchSize + (workflow == null ? "" : ", workflow") + "]";
    }

    /**
     * Builds {@link GenerationParameters}.
     *
     * @since 1.0
     */
    public static final class Builder {
        private String model;
        private String prompt = "";
        private String negativePrompt = "";
        private long seed;
        private int steps = 20;
        private double cfgScale = 7;
        private String sampler;
        private String scheduler;
        private int width = 512;
        private int height = 512;
        private int batchSize = 1;
        private List<LoraWeight> loras = List.of();
        private String vae;
        private Integer clipStopAtLayer;
        private String workflow;
        private Map<String, String> raw = Map.of();

        private Builder() {
        }

        /**
         * @param value the main model as the backend lists it, or null for none
         * @return this builder
         */
        public Builder model(String value) {
            this.model = value;
            return this;
        }

        /**
         * @param value the prompt
         * @return this builder
         */
        public Builder prompt(String value) {
            this.prompt = Objects.requireNonNull(value, "prompt is null");
            return this;
        }

        /**
         * @param value the negative prompt
         * @return this builder
         */
        public Builder negativePrompt(String value) {
            this.negativePrompt = Objects.requireNonNull(value, "negativePrompt is null");
            return this;
        }

        /**
         * @param value the seed of the first image
         * @return this builder
         */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /**
         * @param value the sampling steps, 0 or more
         * @return this builder
         */
        public Builder steps(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("steps must not be negative: " + value);
            }
            this.steps = value;
            return this;
        }

        /**
         * @param value the guidance scale
         * @return this builder
         */
        public Builder cfgScale(double value) {
            this.cfgScale = value;
            return this;
        }

        /**
         * @param value the sampler's engine name, or null for the engine's default
         * @return this builder
         */
        public Builder sampler(String value) {
            this.sampler = value;
            return this;
        }

        /**
         * @param value the scheduler's engine name, or null for the engine's default
         * @return this builder
         */
        public Builder scheduler(String value) {
            this.scheduler = value;
            return this;
        }

        /**
         * @param newWidth the width in pixels, 1 or more
         * @param newHeight the height in pixels, 1 or more
         * @return this builder
         */
        public Builder size(int newWidth, int newHeight) {
            if (newWidth < 1 || newHeight < 1) {
                throw new IllegalArgumentException("size must be positive: " + newWidth + "x" + newHeight);
            }
            this.width = newWidth;
            this.height = newHeight;
            return this;
        }

        /**
         * @param value images per run, 1 or more
         * @return this builder
         */
        public Builder batchSize(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("batchSize must be at least 1: " + value);
            }
            this.batchSize = value;
            return this;
        }

        /**
         * @param value the LoRAs, in order
         * @return this builder
         */
        public Builder loras(List<LoraWeight> value) {
            this.loras = List.copyOf(value);
            return this;
        }

        /**
         * @param value the VAE as the backend lists it, or null for the model's own
         * @return this builder
         */
        public Builder vae(String value) {
            this.vae = value;
            return this;
        }

        /**
         * @param value the CLIP layer to stop at (-24 to -1), or null for the model's default
         * @return this builder
         */
        public Builder clipStopAtLayer(Integer value) {
            this.clipStopAtLayer = value;
            return this;
        }

        /**
         * @param value an engine-native workflow with the values filled in, or null for the standard graph
         * @return this builder
         */
        public Builder workflow(String value) {
            this.workflow = value;
            return this;
        }

        /**
         * @param value every parameter as the client sent it, by SwarmUI's parameter id
         * @return this builder
         */
        public Builder raw(Map<String, String> value) {
            this.raw = new LinkedHashMap<>(Objects.requireNonNull(value, "raw is null"));
            return this;
        }

        /** @return the parameters */
        public GenerationParameters build() {
            return new GenerationParameters(this);
        }
    }
}
