package dev.switchboard.plugins.comfyui.generation;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.switchboard.plugins.support.UntrustedText;
import java.util.Map;

/**
 * ComfyUI's refusals and failures as one readable message. A {@code /prompt} refusal
 * ({@code {"error": {...}, "node_errors": {...}}}) becomes {@code ComfyUI errored: <message>. Node <id>
 * (<class>), input <name>: <message>: <details>. ...}; a failure while running becomes
 * {@code ComfyUI execution error: <exception_message>}, as SwarmUI words them.
 */
final class PromptErrors {
    /** How much of ComfyUI's own text one message quotes. */
    private static final int QUOTED_CHARS = 2000;

    private PromptErrors() {
    }

    /** @return the message for a {@code /prompt} answer that refused the prompt */
    static String refusal(JsonObject answer) {
        StringBuilder message = new StringBuilder("ComfyUI errored: ");
        JsonElement error = answer.get("error");
        if (error != null && error.isJsonObject()) {
            message.append(sentence(text(error, "message"), text(error, "details")));
        } else if (error != null && error.isJsonPrimitive()) {
            message.append(sentence(error.getAsString(), ""));
        } else {
            message.append("ComfyUI refused the prompt.");
        }
        JsonElement nodeErrors = answer.get("node_errors");
        if (nodeErrors != null && nodeErrors.isJsonObject()) {
            for (Map.Entry<String, JsonElement> node : nodeErrors.getAsJsonObject().entrySet()) {
                appendNode(message, node.getKey(), node.getValue());
            }
        }
        return UntrustedText.sanitize(message.toString(), QUOTED_CHARS);
    }

    /** @return the message for an {@code execution_error} (from the socket or the history) */
    static String executionError(JsonObject error) {
        String exception = text(error, "exception_message").strip();
        return "ComfyUI execution error: " + UntrustedText.sanitize(exception.isEmpty()
                ? "node " + text(error, "node_id") + " (" + text(error, "node_type") + ") failed" : exception,
                QUOTED_CHARS);
    }

    private static void appendNode(StringBuilder message, String id, JsonElement nodeError) {
        if (!nodeError.isJsonObject()) {
            return;
        }
        String classType = text(nodeError, "class_type");
        String node = " Node " + id + (classType.isEmpty() ? "" : " (" + classType + ")");
        JsonElement errors = nodeError.getAsJsonObject().get("errors");
        if (errors == null || !errors.isJsonArray() || errors.getAsJsonArray().isEmpty()) {
            message.append(node).append(" is invalid.");
            return;
        }
        for (JsonElement error : errors.getAsJsonArray()) {
            JsonElement extra = error.isJsonObject() ? error.getAsJsonObject().get("extra_info") : null;
            String input = extra == null ? "" : text(extra, "input_name");
            String details = text(error, "details");
            message.append(node).append(input.isEmpty() ? "" : ", input " + input).append(": ")
                    .append(sentence(text(error, "message"), details.equals(input) ? "" : details));
        }
    }

    /** @return {@code message: details.}, without doubling a full stop */
    private static String sentence(String message, String details) {
        String text = message.strip();
        if (text.endsWith(".")) {
            text = text.substring(0, text.length() - 1);
        }
        if (!details.isBlank()) {
            text += ": " + details.strip();
        }
        return text.endsWith(".") ? text : text + ".";
    }

    private static String text(JsonElement object, String key) {
        if (object == null || !object.isJsonObject()) {
            return "";
        }
        JsonElement value = object.getAsJsonObject().get(key);
        return value == null || value.isJsonNull() ? "" : value.isJsonPrimitive() ? value.getAsString()
                : value.toString();
    }
}
