package dev.switchboard.testkit.comfyui;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.Collection;

/** Builds the WebSocket messages ComfyUI 0.3.64 sends, in the shapes of the recordings. */
final class StandInMessages {

    private StandInMessages() {
    }

    /** @return {@code {"type": type, "data": data}} as text */
    static String message(String type, JsonObject data) {
        JsonObject message = new JsonObject();
        message.addProperty("type", type);
        message.add("data", data);
        return message.toString();
    }

    /** @return the data of a {@code status} message */
    static JsonObject status(int queueRemaining) {
        JsonObject execInfo = new JsonObject();
        execInfo.addProperty("queue_remaining", queueRemaining);
        JsonObject status = new JsonObject();
        status.add("exec_info", execInfo);
        JsonObject data = new JsonObject();
        data.add("status", status);
        return data;
    }

    /** @return {@code {"prompt_id": id, "timestamp": now}} */
    static JsonObject stamped(String promptId) {
        JsonObject data = new JsonObject();
        data.addProperty("prompt_id", promptId);
        data.addProperty("timestamp", System.currentTimeMillis());
        return data;
    }

    /** @return the data of {@code execution_cached}: no node is ever cached here */
    static JsonObject cached(String promptId) {
        JsonObject data = new JsonObject();
        data.add("nodes", new JsonArray());
        data.addProperty("prompt_id", promptId);
        data.addProperty("timestamp", System.currentTimeMillis());
        return data;
    }

    /** @return the data of {@code executing}; a null node means the prompt is done */
    static JsonObject executing(String node, String promptId) {
        JsonObject data = new JsonObject();
        data.addProperty("node", node);
        if (node != null) {
            data.addProperty("display_node", node);
        }
        data.addProperty("prompt_id", promptId);
        return data;
    }

    /** @return the data of a sampler's {@code progress} */
    static JsonObject progress(int value, int max, String promptId, String node) {
        JsonObject data = new JsonObject();
        data.addProperty("value", value);
        data.addProperty("max", max);
        data.addProperty("prompt_id", promptId);
        data.addProperty("node", node);
        return data;
    }

    /** @return the data of {@code executed}, carrying a node's output */
    static JsonObject executed(String node, JsonObject output, String promptId) {
        JsonObject data = new JsonObject();
        data.addProperty("node", node);
        data.addProperty("display_node", node);
        data.add("output", output);
        data.addProperty("prompt_id", promptId);
        return data;
    }

    /** @return the data of {@code execution_interrupted} */
    static JsonObject interrupted(String promptId, String node, String classType, Collection<String> executed) {
        JsonObject data = new JsonObject();
        data.addProperty("prompt_id", promptId);
        data.addProperty("node_id", node);
        data.addProperty("node_type", classType);
        data.add("executed", strings(executed));
        data.addProperty("timestamp", System.currentTimeMillis());
        return data;
    }

    /** @return the data of {@code execution_error} */
    static JsonObject error(String promptId, String node, String classType, Collection<String> executed,
            String exceptionMessage, JsonObject inputs, Collection<String> outputs) {
        JsonObject data = new JsonObject();
        data.addProperty("prompt_id", promptId);
        data.addProperty("node_id", node);
        data.addProperty("node_type", classType);
        data.add("executed", strings(executed));
        data.addProperty("exception_message", exceptionMessage);
        data.addProperty("exception_type", "RuntimeError");
        JsonArray traceback = new JsonArray();
        traceback.add("  File \"/opt/ComfyUI/execution.py\", line 496, in execute\n    (stand-in)\n");
        data.add("traceback", traceback);
        JsonObject currentInputs = new JsonObject();
        inputs.entrySet().forEach(input -> {
            // ComfyUI lists the values the node received; a linked one is some object, shown as its text.
            JsonArray values = new JsonArray();
            String from = ExecutionOrder.linkSource(input.getValue());
            if (from != null) {
                values.add("<output of node " + from + ">");
            } else {
                values.add(input.getValue().deepCopy());
            }
            currentInputs.add(input.getKey(), values);
        });
        data.add("current_inputs", currentInputs);
        data.add("current_outputs", strings(outputs));
        data.addProperty("timestamp", System.currentTimeMillis());
        return data;
    }

    static JsonArray strings(Collection<String> values) {
        JsonArray array = new JsonArray();
        values.forEach(array::add);
        return array;
    }
}
