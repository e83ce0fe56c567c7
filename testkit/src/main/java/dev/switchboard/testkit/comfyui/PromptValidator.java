package dev.switchboard.testkit.comfyui;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Checks a {@code POST /prompt} graph as ComfyUI 0.3.64's {@code validate_prompt} does, against the node types the
 * stand-in serves: unknown node types, missing or dangling inputs, numbers outside their range and values that are
 * not in an option list (such as a checkpoint that is not installed), with ComfyUI's error types, messages and the
 * {@code node_errors} layout of the recordings.
 */
final class PromptValidator {
    private static final int LISTED_OPTIONS = 20;

    private final NodeCatalog nodes;

    PromptValidator(NodeCatalog nodes) {
        this.nodes = requireNonNull(nodes, "nodes is null");
    }

    /** The outcome: the output nodes to run, or the body of ComfyUI's HTTP 400 answer. */
    record Result(List<String> outputs, JsonObject refusal) {
        boolean valid() {
            return refusal == null;
        }
    }

    Result validate(JsonObject prompt) {
        List<String> outputs = new ArrayList<>();
        for (Map.Entry<String, JsonElement> entry : prompt.entrySet()) {
            String id = entry.getKey();
            Optional<String> classType = classType(entry.getValue());
            if (classType.isEmpty()) {
                return refused(error("invalid_prompt",
                        "Cannot execute because a node is missing the class_type property.",
                        "Node ID '#" + id + "'"), new JsonObject());
            }
            Optional<JsonObject> spec = nodes.entry(classType.get());
            if (spec.isEmpty()) {
                return refused(error("invalid_prompt", "Cannot execute because node " + classType.get()
                        + " does not exist.", "Node ID '#" + id + "'"), new JsonObject());
            }
            if (isOutput(spec.get())) {
                outputs.add(id);
            }
        }
        if (outputs.isEmpty()) {
            JsonObject answer = new JsonObject();
            answer.add("error", error("prompt_no_outputs", "Prompt has no outputs", ""));
            answer.add("node_errors", new JsonArray());
            return new Result(List.of(), answer);
        }
        outputs.sort(null);
        Map<String, List<JsonObject>> validated = new LinkedHashMap<>();
        Map<String, JsonObject> nodeErrors = new LinkedHashMap<>();
        List<String> lines = new ArrayList<>();
        List<String> good = new ArrayList<>();
        for (String output : outputs) {
            List<JsonObject> reasons;
            try {
                reasons = validateNode(prompt, output, validated);
            } catch (DanglingLink e) {
                reasons = List.of(exception("exception_during_validation", "Exception when validating node", e));
                validated.put(output, reasons);
            }
            if (reasons.isEmpty() && failedAncestors(prompt, output, validated)) {
                reasons = null;
            }
            if (reasons != null && reasons.isEmpty()) {
                good.add(output);
                continue;
            }
            if (reasons != null) {
                reasons.forEach(reason -> lines.add(reason.get("message").getAsString() + ": "
                        + reason.get("details").getAsString()));
            }
            validated.forEach((node, nodeReasons) -> {
                if (!nodeReasons.isEmpty()) {
                    JsonObject nodeError = nodeErrors.computeIfAbsent(node,
                            id -> newNodeError(prompt, id, nodeReasons));
                    nodeError.getAsJsonArray("dependent_outputs").add(output);
                }
            });
        }
        JsonObject nodeErrorsJson = new JsonObject();
        nodeErrors.forEach(nodeErrorsJson::add);
        if (good.isEmpty()) {
            return refused(error("prompt_outputs_failed_validation", "Prompt outputs failed validation",
                    String.join("\n", lines)), nodeErrorsJson);
        }
        return new Result(List.copyOf(good), null);
    }

    /** @return the reasons the node itself is invalid (empty when it is fine; its inputs' nodes may still fail) */
    private List<JsonObject> validateNode(JsonObject prompt, String id, Map<String, List<JsonObject>> validated)
            throws DanglingLink {
        List<JsonObject> known = validated.get(id);
        if (known != null) {
            return known;
        }
        JsonObject node = prompt.getAsJsonObject(id);
        JsonObject inputs = node.has("inputs") && node.get("inputs").isJsonObject()
                ? node.getAsJsonObject("inputs") : new JsonObject();
        JsonObject spec = nodes.entry(node.get("class_type").getAsString()).orElseThrow();
        List<JsonObject> errors = new ArrayList<>();
        for (InputSpec input : InputSpec.of(spec)) {
            JsonElement value = inputs.get(input.name());
            if (value == null || value.isJsonNull()) {
                if (input.required()) {
                    JsonObject info = new JsonObject();
                    info.addProperty("input_name", input.name());
                    errors.add(error("required_input_missing", "Required input is missing", input.name(), info));
                }
                continue;
            }
            if (value.isJsonArray()) {
                JsonArray link = value.getAsJsonArray();
                String from = link.size() == 2 ? link.get(0).getAsString() : null;
                if (from == null) {
                    errors.add(error("bad_linked_input", "Bad linked input, must be a length-2 list of"
                            + " [node_id, slot_index]", input.name(), inputInfo(input, value)));
                    continue;
                }
                if (!prompt.has(from)) {
                    throw new DanglingLink("'" + from + "'");
                }
                try {
                    validateNode(prompt, from, validated);
                } catch (DanglingLink e) {
                    validated.put(from, List.of(exception("exception_during_inner_validation",
                            "Exception when validating inner node", e)));
                }
                continue;
            }
            input.check(value).ifPresent(errors::add);
        }
        validated.put(id, errors);
        return errors;
    }

    /** Whether any node the output depends on failed (ComfyUI then fails the output without reasons of its own). */
    private static boolean failedAncestors(JsonObject prompt, String id, Map<String, List<JsonObject>> validated) {
        TreeSet<String> seen = new TreeSet<>();
        List<String> todo = new ArrayList<>(List.of(id));
        while (!todo.isEmpty()) {
            String current = todo.remove(todo.size() - 1);
            if (!seen.add(current)) {
                continue;
            }
            List<JsonObject> reasons = validated.get(current);
            if (reasons != null && !reasons.isEmpty()) {
                return true;
            }
            JsonElement inputs = prompt.getAsJsonObject(current).get("inputs");
            if (inputs != null && inputs.isJsonObject()) {
                inputs.getAsJsonObject().entrySet().stream().map(Map.Entry::getValue)
                        .filter(value -> value.isJsonArray() && value.getAsJsonArray().size() == 2)
                        .map(value -> value.getAsJsonArray().get(0).getAsString())
                        .filter(prompt::has)
                        .forEach(todo::add);
            }
        }
        return false;
    }

    private static JsonObject newNodeError(JsonObject prompt, String id, List<JsonObject> reasons) {
        JsonObject nodeError = new JsonObject();
        JsonArray errors = new JsonArray();
        reasons.forEach(errors::add);
        nodeError.add("errors", errors);
        nodeError.add("dependent_outputs", new JsonArray());
        nodeError.addProperty("class_type", prompt.getAsJsonObject(id).get("class_type").getAsString());
        return nodeError;
    }

    private static Result refused(JsonObject error, JsonObject nodeErrors) {
        JsonObject answer = new JsonObject();
        answer.add("error", error);
        answer.add("node_errors", nodeErrors);
        return new Result(List.of(), answer);
    }

    static JsonObject error(String type, String message, String details) {
        return error(type, message, details, new JsonObject());
    }

    static JsonObject error(String type, String message, String details, JsonObject extraInfo) {
        JsonObject error = new JsonObject();
        error.addProperty("type", type);
        error.addProperty("message", message);
        error.addProperty("details", details);
        error.add("extra_info", extraInfo);
        return error;
    }

    private static JsonObject exception(String type, String message, DanglingLink failure) {
        JsonObject info = new JsonObject();
        info.addProperty("exception_type", "KeyError");
        JsonArray traceback = new JsonArray();
        traceback.add("  File \"/opt/ComfyUI/execution.py\", line 788, in validate_inputs\n"
                + "    o_class_type = prompt[o_id]['class_type']\n");
        info.add("traceback", traceback);
        return error(type, message, failure.getMessage(), info);
    }

    static JsonObject inputInfo(InputSpec input, JsonElement received) {
        JsonObject info = new JsonObject();
        info.addProperty("input_name", input.name());
        info.add("input_config", input.config());
        info.add("received_value", received.deepCopy());
        return info;
    }

    private static Optional<String> classType(JsonElement node) {
        if (!node.isJsonObject()) {
            return Optional.empty();
        }
        JsonElement type = node.getAsJsonObject().get("class_type");
        return type != null && type.isJsonPrimitive() ? Optional.of(type.getAsString()) : Optional.empty();
    }

    static boolean isOutput(JsonObject spec) {
        JsonElement output = spec.get("output_node");
        return output != null && output.isJsonPrimitive() && output.getAsBoolean();
    }

    /** Python's {@code str()} of a list of strings: {@code ['a', 'b']}. */
    static String pythonList(List<String> values) {
        return values.stream().map(value -> "'" + value + "'").collect(Collectors.joining(", ", "[", "]"));
    }

    static String pythonNumber(JsonPrimitive value, boolean integer) {
        if (integer) {
            return value.getAsBigDecimal().toBigInteger().toString();
        }
        double number = value.getAsDouble();
        return number == Math.rint(number) && Math.abs(number) < 1e16 ? String.format("%.1f", number)
                : Double.toString(number);
    }

    /** A link to a node that is not in the prompt: a KeyError inside ComfyUI. */
    private static final class DanglingLink extends Exception {
        private static final long serialVersionUID = 1L;

        DanglingLink(String message) {
            super(message);
        }
    }
}
