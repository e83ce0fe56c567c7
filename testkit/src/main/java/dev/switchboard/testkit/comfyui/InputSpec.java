package dev.switchboard.testkit.comfyui;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One input of a node type as {@code /object_info} declares it ({@code "steps": ["INT", {"min": 1, ...}]},
 * {@code "ckpt_name": [["a.safetensors"], {...}]} or {@code ["COMBO", {"options": [...]}]}), and ComfyUI's check
 * of a plain (unlinked) value against it.
 *
 * @param name the input's name
 * @param required whether it is in {@code required} (else {@code optional})
 * @param config the declaration, as ComfyUI echoes it in {@code input_config}
 */
record InputSpec(String name, boolean required, JsonArray config) {

    InputSpec {
        requireNonNull(name, "name is null");
        requireNonNull(config, "config is null");
    }

    /** @return the required inputs, then the optional ones, in declaration order */
    static List<InputSpec> of(JsonObject nodeEntry) {
        List<InputSpec> inputs = new ArrayList<>();
        JsonElement input = nodeEntry.get("input");
        if (input == null || !input.isJsonObject()) {
            return inputs;
        }
        for (String category : List.of("required", "optional")) {
            JsonElement declared = input.getAsJsonObject().get(category);
            if (declared == null || !declared.isJsonObject()) {
                continue;
            }
            declared.getAsJsonObject().entrySet().forEach(entry -> {
                if (entry.getValue().isJsonArray() && !entry.getValue().getAsJsonArray().isEmpty()) {
                    inputs.add(new InputSpec(entry.getKey(), category.equals("required"),
                            entry.getValue().getAsJsonArray()));
                }
            });
        }
        return inputs;
    }

    /** @return the option list of a combo input, or empty for other inputs */
    Optional<List<String>> options() {
        JsonElement type = config.get(0);
        if (type.isJsonArray()) {
            return Optional.of(strings(type.getAsJsonArray()));
        }
        if (type.isJsonPrimitive() && type.getAsString().equals("COMBO")) {
            JsonElement options = extra().get("options");
            return Optional.of(options != null && options.isJsonArray() ? strings(options.getAsJsonArray())
                    : List.of());
        }
        return Optional.empty();
    }

    /** @return the type name ({@code INT}, {@code MODEL}, ...), or empty for a combo */
    String typeName() {
        JsonElement type = config.get(0);
        return type.isJsonPrimitive() ? type.getAsString() : "";
    }

    /**
     * Checks a plain value as ComfyUI's {@code validate_inputs} does.
     *
     * @return the error, or empty when the value is acceptable
     */
    Optional<JsonObject> check(JsonElement value) {
        Optional<List<String>> options = options();
        if (options.isPresent()) {
            String text = value.isJsonPrimitive() ? value.getAsString() : value.toString();
            if (options.get().contains(text)) {
                return Optional.empty();
            }
            List<String> listed = options.get();
            String listInfo = listed.size() > 20 ? "(list of length " + listed.size() + ")"
                    : PromptValidator.pythonList(listed);
            return Optional.of(PromptValidator.error("value_not_in_list", "Value not in list",
                    name + ": '" + text + "' not in " + listInfo, PromptValidator.inputInfo(this, value)));
        }
        String type = typeName();
        if (!type.equals("INT") && !type.equals("FLOAT")) {
            return Optional.empty();
        }
        boolean integer = type.equals("INT");
        if (!value.isJsonPrimitive() || !isNumber(value.getAsJsonPrimitive())) {
            return Optional.of(PromptValidator.error("invalid_input_type", "Failed to convert an input value to a "
                    + type + " value", name + ", " + (value.isJsonPrimitive() ? value.getAsString() : value)
                    + ", could not convert", PromptValidator.inputInfo(this, value)));
        }
        JsonPrimitive number = value.getAsJsonPrimitive();
        JsonElement min = extra().get("min");
        JsonElement max = extra().get("max");
        if (min != null && number.getAsBigDecimal().compareTo(min.getAsBigDecimal()) < 0) {
            return Optional.of(PromptValidator.error("value_smaller_than_min", "Value "
                    + PromptValidator.pythonNumber(number, integer) + " smaller than min of "
                    + PromptValidator.pythonNumber(min.getAsJsonPrimitive(), integer), name,
                    PromptValidator.inputInfo(this, value)));
        }
        if (max != null && number.getAsBigDecimal().compareTo(max.getAsBigDecimal()) > 0) {
            return Optional.of(PromptValidator.error("value_bigger_than_max", "Value "
                    + PromptValidator.pythonNumber(number, integer) + " bigger than max of "
                    + PromptValidator.pythonNumber(max.getAsJsonPrimitive(), integer), name,
                    PromptValidator.inputInfo(this, value)));
        }
        return Optional.empty();
    }

    private JsonObject extra() {
        return config.size() > 1 && config.get(1).isJsonObject() ? config.get(1).getAsJsonObject() : new JsonObject();
    }

    private static boolean isNumber(JsonPrimitive value) {
        if (value.isNumber()) {
            return true;
        }
        if (!value.isString()) {
            return false;
        }
        try {
            new java.math.BigDecimal(value.getAsString().trim());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static List<String> strings(JsonArray array) {
        List<String> values = new ArrayList<>();
        array.forEach(element -> values.add(element.isJsonPrimitive() ? element.getAsString() : element.toString()));
        return values;
    }
}
