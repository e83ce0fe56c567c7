package dev.switchboard.server.generation;

import dev.switchboard.api.generation.GenerationParameters;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * The values SwarmUI fills a raw workflow's tags with (generation.md 3.4): its built-in names, then any of the
 * request's own parameters by cleaned name. Model names get the backend's folder separator.
 */
final class WorkflowValues {
    private WorkflowValues() {
    }

    /**
     * @param name a tag's name, cleaned (lower-case letters only)
     * @return its value, or null when neither a built-in nor the request has it
     */
    static String of(String name, GenerationParameters job, boolean backslash) {
        return switch (name) {
            case "prompt" -> job.prompt();
            case "negativeprompt" -> job.negativePrompt();
            case "seed" -> Long.toString(job.seed());
            case "steps" -> Integer.toString(job.steps());
            case "width" -> Integer.toString(job.width());
            case "height" -> Integer.toString(job.height());
            case "cfgscale" -> number(job.cfgScale());
            case "sampler", "comfysampler", "comfyuisampler" -> job.sampler().orElse(null);
            case "scheduler", "comfyscheduler", "comfyuischeduler" -> job.scheduler().orElse(null);
            case "model" -> job.model().map(model -> separators(model, backslash)).orElse(null);
            case "prefix" -> "SwarmUI_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()) + "_";
            case "loras" -> job.loras().isEmpty() ? null : job.loras().stream()
                    .map(lora -> separators(lora.name(), backslash)).collect(Collectors.joining(","));
            default -> raw(name, job.raw());
        };
    }

    private static String raw(String name, Map<String, String> raw) {
        String value = raw.get(name);
        return value == null || value.isEmpty() ? null : value;
    }

    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }

    private static String separators(String name, boolean backslash) {
        return backslash ? name.replace('/', '\\') : name;
    }
}
