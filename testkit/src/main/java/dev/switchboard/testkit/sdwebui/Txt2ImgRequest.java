package dev.switchboard.testkit.sdwebui;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * A {@code txt2img} body read with SD-WebUI's defaults ({@code StableDiffusionTxt2ImgProcessingAPI}): fields that
 * are absent take the defaults, fields of the wrong type refuse the request with a 422 like FastAPI's.
 */
record Txt2ImgRequest(JsonObject json, String prompt, String negativePrompt, long seed, long subseed,
        double subseedStrength, int steps, double cfgScale, int width, int height, int batchSize, int iterations,
        String samplerName, String scheduler, JsonObject overrides, boolean restoreAfterwards) {

    /** The largest side the stand-in draws (SD-WebUI has no such bound; a test machine has). */
    static final int MAX_SIDE = 4096;
    /** The most steps the stand-in samples. */
    static final int MAX_STEPS = 10_000;

    /** The request could not be read: the answer says why, in FastAPI's shape. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient Answer answer;

        Refused(String field, String message) {
            super(message);
            this.answer = new Answer(422, "{\"detail\":[{\"loc\":[\"body\",\"" + field + "\"],\"msg\":\"" + message
                    + "\",\"type\":\"value_error\"}]}");
        }

        Answer answer() {
            return answer;
        }
    }

    static Txt2ImgRequest parse(String body) throws Refused {
        JsonObject json;
        try {
            JsonElement parsed = JsonParser.parseString(body);
            if (!parsed.isJsonObject()) {
                throw new Refused("body", "value is not a valid dict");
            }
            json = parsed.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new Refused("body", "value is not a valid dict");
        }
        int width = integer(json, "width", 512);
        int height = integer(json, "height", 512);
        if (width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE) {
            throw new Refused("width", "the stand-in draws 1 to " + MAX_SIDE + " pixels a side");
        }
        int steps = integer(json, "steps", 50);
        if (steps < 0 || steps > MAX_STEPS) {
            throw new Refused("steps", "the stand-in samples 0 to " + MAX_STEPS + " steps");
        }
        JsonElement overrides = json.get("override_settings");
        if (overrides != null && !overrides.isJsonNull() && !overrides.isJsonObject()) {
            throw new Refused("override_settings", "value is not a valid dict");
        }
        return new Txt2ImgRequest(json, text(json, "prompt", ""), text(json, "negative_prompt", ""),
                number(json, "seed", -1).longValue(), number(json, "subseed", -1).longValue(),
                number(json, "subseed_strength", 0).doubleValue(), steps,
                number(json, "cfg_scale", 7).doubleValue(), width, height, Math.max(1, integer(json, "batch_size", 1)),
                Math.max(1, integer(json, "n_iter", 1)), text(json, "sampler_name", null), text(json, "scheduler", null),
                overrides == null || overrides.isJsonNull() ? new JsonObject() : overrides.getAsJsonObject(),
                bool(json, "override_settings_restore_afterwards", true));
    }

    SdWebUiGeneration toGeneration(long seedUsed, String checkpoint, boolean interrupted) {
        JsonElement clip = overrides.get("CLIP_stop_at_last_layers");
        return new SdWebUiGeneration(prompt, negativePrompt, seedUsed, subseed, subseedStrength, steps, cfgScale,
                width, height, batchSize, iterations, samplerName, scheduler, checkpoint,
                clip == null || clip.isJsonNull() ? null : clip.getAsInt(), restoreAfterwards, interrupted);
    }

    /** @return the checkpoint the request asks for in {@code override_settings}, or null */
    String checkpointOverride() {
        JsonElement wanted = overrides.get("sd_model_checkpoint");
        return wanted == null || wanted.isJsonNull() ? null : wanted.getAsString();
    }

    private static String text(JsonObject json, String field, String fallback) throws Refused {
        JsonElement value = json.get(field);
        if (value == null || value.isJsonNull()) {
            return fallback;
        }
        if (!value.isJsonPrimitive()) {
            throw new Refused(field, "str type expected");
        }
        return value.getAsString();
    }

    private static int integer(JsonObject json, String field, int fallback) throws Refused {
        Number number = number(json, field, fallback);
        if (number.doubleValue() != Math.rint(number.doubleValue())) {
            throw new Refused(field, "value is not a valid integer");
        }
        return number.intValue();
    }

    private static Number number(JsonObject json, String field, Number fallback) throws Refused {
        JsonElement value = json.get(field);
        if (value == null || value.isJsonNull()) {
            return fallback;
        }
        try {
            return value.getAsJsonPrimitive().isNumber() ? value.getAsNumber() : Double.valueOf(value.getAsString());
        } catch (IllegalStateException | UnsupportedOperationException | NumberFormatException e) {
            throw new Refused(field, "value is not a valid number");
        }
    }

    private static boolean bool(JsonObject json, String field, boolean fallback) throws Refused {
        JsonElement value = json.get(field);
        if (value == null || value.isJsonNull()) {
            return fallback;
        }
        if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isBoolean()) {
            throw new Refused(field, "value could not be parsed to a boolean");
        }
        return value.getAsBoolean();
    }
}
