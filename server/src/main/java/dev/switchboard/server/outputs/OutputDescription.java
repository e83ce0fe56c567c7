package dev.switchboard.server.outputs;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one output image is: the request it belongs to, the values its name is made of, and every parameter the job
 * actually used, which is embedded in the file. The typed values are what generated the image (the final seed,
 * the model name a backend reported) and win over a parameter of the same SwarmUI id ({@code prompt},
 * {@code negativeprompt}, {@code model}, {@code seed}, {@code width}, {@code height}, {@code steps},
 * {@code cfgscale}) in the embedded metadata.
 *
 * @param request when the request was made and its number in that minute
 * @param prompt the prompt ({@code ""} when there is none, e.g. a raw workflow)
 * @param negativePrompt the negative prompt ({@code ""} when there is none)
 * @param model the model's name as a backend reported it, folders with {@code /} and extension kept
 *     ({@code "sdxl/base.safetensors"}), or {@code ""} when unknown
 * @param seed the seed actually used
 * @param width the image width in pixels
 * @param height the image height in pixels
 * @param steps the sampling steps
 * @param cfgScale the CFG scale (finite)
 * @param parameters every parameter used, by SwarmUI id, in order; values are text, booleans, finite numbers, or
 *     lists of those; copied, so later changes to the caller's map change nothing
 */
public record OutputDescription(RequestStamp request, String prompt, String negativePrompt, String model, long seed,
        int width, int height, int steps, double cfgScale, Map<String, Object> parameters) {

    public OutputDescription {
        requireNonNull(request, "request is null");
        requireNonNull(prompt, "prompt is null");
        requireNonNull(negativePrompt, "negativePrompt is null");
        requireNonNull(model, "model is null");
        requireNonNull(parameters, "parameters is null");
        if (width < 0 || height < 0 || steps < 0) {
            throw new IllegalArgumentException("width, height and steps must not be negative");
        }
        if (!Double.isFinite(cfgScale)) {
            throw new IllegalArgumentException("cfgScale must be a finite number: " + cfgScale);
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        parameters.forEach((name, value) -> {
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("A parameter has no name");
            }
            checkValue(name, value);
            copy.put(name, value instanceof List<?> list ? List.copyOf(list) : value);
        });
        parameters = Collections.unmodifiableMap(copy);
    }

    private static void checkValue(String name, Object value) {
        if (value instanceof String || value instanceof Boolean || value instanceof Integer || value instanceof Long
                || value instanceof Short || value instanceof Byte || value instanceof BigInteger
                || value instanceof BigDecimal) {
            return;
        }
        if (value instanceof Double || value instanceof Float) {
            if (!Double.isFinite(((Number) value).doubleValue())) {
                throw new IllegalArgumentException("The parameter " + name + " is not a finite number: " + value);
            }
            return;
        }
        if (value instanceof List<?> list) {
            for (Object element : list) {
                checkValue(name, element);
            }
            return;
        }
        throw new IllegalArgumentException("The parameter " + name + " is not text, a boolean, a number or a list of"
                + " those: " + (value == null ? "null" : value.getClass().getName()));
    }
}
