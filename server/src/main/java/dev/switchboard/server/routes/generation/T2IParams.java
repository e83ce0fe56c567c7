package dev.switchboard.server.routes.generation;

import dev.switchboard.server.generation.SamplerNames;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The text-to-image parameters Switchboard reads (with SwarmUI's ids, names, defaults and ranges), the ones it
 * accepts and ignores because they change no pixels, and the ones it refuses because they would change the image
 * and no backend here can honour them yet (generation.md 2.7 and 5.2 #6).
 */
final class T2IParams {
    static final String CORE = "Core Parameters";
    static final String RESOLUTION = "Resolution";
    static final String SAMPLING = "Sampling";
    static final String ADVANCED = "Advanced";
    static final String SWARM = "Swarm Internal";
    /** The aspect ratios' reference sizes at side length 512 (SwarmUI's table; 3:4 is offered but not in it). */
    static final Map<String, int[]> ASPECT_RATIOS = Map.of("1:1", new int[] {512, 512}, "4:3", new int[] {576, 448},
            "3:2", new int[] {608, 416}, "8:5", new int[] {608, 384}, "16:9", new int[] {672, 384},
            "21:9", new int[] {768, 320}, "2:3", new int[] {416, 608}, "5:8", new int[] {384, 608},
            "9:16", new int[] {384, 672}, "9:21", new int[] {320, 768});
    static final List<String> SAMPLERS = SamplerNames.SAMPLERS;
    static final List<String> SCHEDULERS = SamplerNames.SCHEDULERS;

    /** Read and used, in ListT2IParams' order. */
    static final Map<String, T2IParam> USED = index(List.of(
            T2IParam.text("prompt", "Prompt", "", CORE, "What the image shows."),
            T2IParam.text("negativeprompt", "Negative Prompt", "", CORE, "What the image should not show."),
            T2IParam.integer("images", "Images", 1, 1, 10000, CORE, "How many images to make."),
            T2IParam.integer("seed", "Seed", -1, -1, 9.223372036854776E18, CORE,
                    "The image's random seed; -1 picks one."),
            T2IParam.integer("steps", "Steps", 20, 0, 500, CORE, "Sampling steps."),
            T2IParam.decimal("cfgscale", "CFG Scale", 7, 0, 100, CORE, "How closely the image follows the prompt."),
            T2IParam.dropdown("aspectratio", "Aspect Ratio", "1:1", List.of("1:1", "4:3", "3:2", "8:5", "16:9", "21:9",
                    "3:4", "2:3", "5:8", "9:16", "9:21", "Custom"), RESOLUTION, "The image's shape."),
            T2IParam.integer("width", "Width", 512, 64, 16384, RESOLUTION, "The image's width in pixels."),
            T2IParam.integer("height", "Height", 512, 64, 16384, RESOLUTION, "The image's height in pixels."),
            T2IParam.integer("sidelength", "Side Length", 1024, 64, 16384, RESOLUTION,
                    "With an aspect ratio, the size the image is scaled to.").toggled(),
            T2IParam.text("rawresolution", "Raw Resolution", "1024x1024", RESOLUTION, "WxH, overriding the others.")
                    .toggled(),
            T2IParam.decimal("altresolutionheightmultiplier", "Alt Resolution Height Multiplier", 1, 0, 10, RESOLUTION,
                    "Makes the height the width times this.").toggled(),
            T2IParam.model("model", "Model", "Stable-Diffusion", "", CORE, "The main model."),
            T2IParam.dropdown("sampler", "Sampler", "euler", SAMPLERS, SAMPLING, "The sampler.").needing("comfyui")
                    .toggled(),
            T2IParam.dropdown("scheduler", "Scheduler", "normal", SCHEDULERS, SAMPLING, "The noise schedule.")
                    .needing("comfyui").toggled(),
            T2IParam.integer("batchsize", "Batch Size", 1, 1, 100, SAMPLING, "Images one backend run makes."),
            T2IParam.model("vae", "VAE", "VAE", "None", ADVANCED, "The decoder; None uses the model's own.")
                    .toggled(),
            T2IParam.list("loras", "LoRAs", ADVANCED, "LoRA names, comma-separated."),
            T2IParam.list("loraweights", "LoRA Weights", ADVANCED, "Their weights, comma-separated."),
            T2IParam.list("loratencweights", "LoRA Text Encoder Weights", ADVANCED,
                    "Their text encoder weights, comma-separated."),
            T2IParam.integer("clipstopatlayer", "CLIP Stop At Layer", -1, -24, -1, ADVANCED,
                    "The CLIP layer to stop at.").toggled(),
            T2IParam.bool("donotsave", "Do Not Save", SWARM, "Answer with the image itself, saving nothing."),
            T2IParam.bool("noseedincrement", "No Seed Increment", SWARM, "Every image gets the same seed."),
            T2IParam.text("exactbackendid", "Exact Backend ID", "", SWARM, "Run on this backend (or its children).")
                    .toggled(),
            T2IParam.text("internalbackendtype", "Internal Backend Type", "Any", SWARM, "Run on backends of this type."),
            T2IParam.bool("forwardswarmdata", "Forward Swarm Data", SWARM, "Send the parameters used before each image."),
            T2IParam.bool("continueaftererrors", "Continue After Errors", SWARM,
                    "Keep making the other images when one fails."),
            T2IParam.text("comfyworkflowraw", "Comfy Workflow Raw", "", SWARM, "A ComfyUI workflow in API format.")
                    .needing("comfyui").toggled(),
            T2IParam.text("comfyuicustomworkflow", "Comfy UI Custom Workflow", "", SWARM,
                    "A ComfyUI workflow, inline as PARSED%name%json.").needing("comfyui").toggled(),
            T2IParam.dropdown("imageformat", "Image Format", "PNG", List.of("PNG"), SWARM, "The saved format.")));

    /** Accepted and ignored: they change no pixels, or are the client's business. */
    static final Set<String> IGNORED = Set.of("automaticvae", "webhooks", "personalnote", "nopreviews",
            "noloadmodels", "forwardrawbackenddata", "nointernalspecialhandling", "comfyworkflowparammetadata",
            "extrametadata", "sessionid", "overrideoutpathformat", "modelspecificenhancements",
            "outputintermediateimages", "saveintermediateimages", "videoformat", "wildcardseed");

    /** Refused: each would change the image, and no backend here honours it yet. Prefixes of ids. */
    static final List<String> REFUSED_PREFIXES = List.of("initimage", "maskimage", "maskblur", "maskgrow", "refiner",
            "controlnet", "video", "texttovideo", "variationseed", "freeu", "seamless", "regionalobject", "segment",
            "ipadapter", "revision", "upscale", "endstepsearly", "sigma", "teacache", "dynamicthresholding",
            "zeronegative", "removebackground", "imageprompt", "presets", "unetmodel", "clipmodel");

    private T2IParams() {
    }

    static Optional<T2IParam> find(String id) {
        return Optional.ofNullable(USED.get(id));
    }

    static boolean refused(String id) {
        return REFUSED_PREFIXES.stream().anyMatch(id::startsWith);
    }

    private static Map<String, T2IParam> index(List<T2IParam> params) {
        Map<String, T2IParam> byId = new LinkedHashMap<>();
        params.forEach(param -> byId.put(param.id(), param));
        return Collections.unmodifiableMap(byId);
    }
}
