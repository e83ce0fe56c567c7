package dev.switchboard.testkit.comfyui;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs one prompt as ComfyUI 0.3.64 does and tells its client over the WebSocket, in the recorded order:
 * {@code execution_start}, {@code execution_cached}, then per node {@code executing}; a sampler sends a
 * {@code progress} and a binary preview per step (waiting the configured step time); {@code SaveImage} and
 * {@code PreviewImage} write files and send {@code executed}; {@code SwarmSaveImageWS} sends each image as SwarmUI's
 * node does ({@code progress} with value and max 12345, then {@code [1][2][PNG]}); finally
 * {@code execution_success}, {@code status} and {@code executing} with node null, and the {@code /history} entry.
 * An interrupt ends it at the next step or node with {@code execution_interrupted}, the {@link JobFault} may make it
 * fail at a node, cut the sockets or stall.
 */
final class PromptRun {
    /** SwarmUI's marker: the next binary frame is a final image. */
    static final int SWARM_IMAGE_MARKER = 12345;

    private static final Set<String> SAMPLERS = Set.of("KSampler", "KSamplerAdvanced", "SwarmKSampler");
    private static final int PREVIEW_EVENT = 1;
    private static final int JPEG = 1;
    private static final int PNG = 2;

    private final PromptQueue queue;
    private final PromptQueue.Queued item;
    private final JsonObject prompt;
    private final String promptId;
    private final List<String> executed = new ArrayList<>();
    private final JsonArray messages = new JsonArray();
    private final JsonObject outputs = new JsonObject();
    private final JsonObject meta = new JsonObject();
    private final Map<String, PictureSpec> pictures = new HashMap<>();
    private int stepsDone;
    private boolean dropped;

    PromptRun(PromptQueue queue, PromptQueue.Queued item) {
        this.queue = requireNonNull(queue, "queue is null");
        this.item = requireNonNull(item, "item is null");
        this.prompt = item.prompt();
        this.promptId = item.promptId();
    }

    void run() throws InterruptedException {
        List<String> order = ExecutionOrder.of(prompt, item.outputs(), this::isOutputNode);
        if (!queue.awaitUnstalled()) {
            return;
        }
        queue.broadcastStatus(queue.waiting() + 1);
        record("execution_start", StandInMessages.stamped(promptId));
        record("execution_cached", StandInMessages.cached(promptId));
        dropIfDue();
        for (String node : order) {
            String classType = classType(node);
            if (queue.interruptRequested()) {
                interrupted(node, classType);
                return;
            }
            send("executing", StandInMessages.executing(node, promptId));
            if (queue.fault() instanceof JobFault.ErrorAt error && error.classType().equals(classType)) {
                failed(node, classType, error.exceptionMessage());
                return;
            }
            if (SAMPLERS.contains(classType) && !sample(node)) {
                interrupted(node, classType);
                return;
            }
            switch (classType) {
                case "SaveImage" -> save(node, "output", prefix(node));
                case "PreviewImage" -> save(node, "temp", "ComfyUI_temp_" + Integer.toHexString(item.number()));
                case "SwarmSaveImageWS" -> sendOverSocket(node);
                default -> {
                }
            }
            executed.add(node);
        }
        record("execution_success", StandInMessages.stamped(promptId));
        finish("success", true);
    }

    private boolean sample(String node) throws InterruptedException {
        int steps = intInput(node, "steps", 1);
        PictureSpec picture = picture(node);
        boolean png = queue.pngPreviews();
        for (int step = 1; step <= steps; step++) {
            if (!queue.sleepStep()) {
                return false;
            }
            send("progress", StandInMessages.progress(step, steps, promptId, node));
            queue.sockets().sendBinary(item.clientId(), frame(png ? PNG : JPEG,
                    Pictures.preview(picture, step, steps, png)));
            stepsDone++;
            dropIfDue();
        }
        return true;
    }

    private void save(String node, String type, String prefix) {
        PictureSpec picture = picture(node);
        JsonArray images = new JsonArray();
        for (int i = 0; i < picture.batch(); i++) {
            images.add(queue.files().save(type, prefix, Pictures.png(picture, i)));
        }
        JsonObject output = new JsonObject();
        output.add("images", images);
        outputs.add(node, output);
        JsonObject nodeMeta = new JsonObject();
        nodeMeta.addProperty("node_id", node);
        nodeMeta.addProperty("display_node", node);
        nodeMeta.add("parent_node", null);
        nodeMeta.addProperty("real_node_id", node);
        meta.add(node, nodeMeta);
        send("executed", StandInMessages.executed(node, output.deepCopy(), promptId));
    }

    private void sendOverSocket(String node) {
        PictureSpec picture = picture(node);
        for (int i = 0; i < picture.batch(); i++) {
            // SwarmUI's node sends only value and max, without prompt or node id.
            JsonObject marker = new JsonObject();
            marker.addProperty("value", SWARM_IMAGE_MARKER);
            marker.addProperty("max", SWARM_IMAGE_MARKER);
            send("progress", marker);
            queue.sockets().sendBinary(item.clientId(), frame(PNG, Pictures.png(picture, i)));
        }
    }

    private void interrupted(String node, String classType) throws InterruptedException {
        record("execution_interrupted", StandInMessages.interrupted(promptId, node, classType, executed));
        finish("error", false);
    }

    private void failed(String node, String classType, String exceptionMessage) throws InterruptedException {
        record("execution_error", StandInMessages.error(promptId, node, classType, executed, exceptionMessage,
                ExecutionOrder.inputs(prompt, node), prompt.keySet()));
        finish("error", false);
    }

    /** Stores the history entry and ends the prompt; with a history delay, the entry appears after the end. */
    private void finish(String statusText, boolean completed) throws InterruptedException {
        JsonObject status = new JsonObject();
        status.addProperty("status_str", statusText);
        status.addProperty("completed", completed);
        status.add("messages", messages);
        JsonObject entry = new JsonObject();
        entry.add("prompt", item.asJson());
        entry.add("outputs", outputs);
        entry.add("status", status);
        entry.add("meta", meta);
        boolean late = !queue.historyDelay().isZero();
        if (!late) {
            // Marked before the entry is visible, so a client that read it never finds the prompt still held.
            queue.finished();
            queue.history().put(promptId, entry.toString());
        }
        queue.broadcastStatus(queue.waiting());
        send("executing", StandInMessages.executing(null, promptId));
        if (late) {
            queue.sleep(queue.historyDelay());
            queue.finished();
            queue.history().put(promptId, entry.toString());
        }
    }

    private void dropIfDue() {
        if (!dropped && queue.fault() instanceof JobFault.DropSockets drop && stepsDone >= drop.afterSteps()) {
            dropped = true;
            queue.sockets().dropAll();
        }
    }

    /** Sends a message and keeps it for the history entry's {@code status.messages}. */
    private void record(String type, JsonObject data) {
        JsonArray message = new JsonArray();
        message.add(type);
        message.add(data.deepCopy());
        messages.add(message);
        send(type, data);
    }

    private void send(String type, JsonObject data) {
        queue.sockets().sendText(item.clientId(), StandInMessages.message(type, data));
    }

    private static byte[] frame(int format, byte[] image) {
        return ByteBuffer.allocate(8 + image.length).putInt(PREVIEW_EVENT).putInt(format).put(image).array();
    }

    /** Follows the links up from a node to what gives its images their size, batch and seed. */
    private PictureSpec picture(String node) {
        PictureSpec known = pictures.get(node);
        if (known != null) {
            return known;
        }
        pictures.put(node, PictureSpec.FALLBACK);
        JsonObject inputs = ExecutionOrder.inputs(prompt, node);
        PictureSpec found = switch (classType(node)) {
            case "EmptyLatentImage" -> new PictureSpec(intInput(node, "width", 512), intInput(node, "height", 512),
                    intInput(node, "batch_size", 1), 0, null);
            case "EmptyImage" -> new PictureSpec(intInput(node, "width", 512), intInput(node, "height", 512),
                    intInput(node, "batch_size", 1), 0, intInput(node, "color", 0));
            case "KSampler", "SwarmKSampler" -> upstream(inputs.get("latent_image")).withSeed(longInput(node, "seed"));
            case "KSamplerAdvanced" -> upstream(inputs.get("latent_image")).withSeed(longInput(node, "noise_seed"));
            default -> firstUpstream(inputs);
        };
        pictures.put(node, found);
        return found;
    }

    private PictureSpec upstream(JsonElement link) {
        String from = ExecutionOrder.linkSource(link);
        return from == null || !prompt.has(from) ? PictureSpec.FALLBACK : picture(from);
    }

    private PictureSpec firstUpstream(JsonObject inputs) {
        for (Map.Entry<String, JsonElement> input : inputs.entrySet()) {
            String from = ExecutionOrder.linkSource(input.getValue());
            if (from != null && prompt.has(from)) {
                PictureSpec spec = picture(from);
                if (spec != PictureSpec.FALLBACK) {
                    return spec;
                }
            }
        }
        return PictureSpec.FALLBACK;
    }

    private String prefix(String node) {
        JsonElement prefix = ExecutionOrder.inputs(prompt, node).get("filename_prefix");
        return prefix != null && prefix.isJsonPrimitive() ? prefix.getAsString() : "ComfyUI";
    }

    private int intInput(String node, String name, int fallback) {
        JsonElement value = ExecutionOrder.inputs(prompt, node).get(name);
        return value != null && value.isJsonPrimitive() ? value.getAsBigDecimal().intValue() : fallback;
    }

    private long longInput(String node, String name) {
        JsonElement value = ExecutionOrder.inputs(prompt, node).get(name);
        return value != null && value.isJsonPrimitive() ? value.getAsBigDecimal().longValue() : 0;
    }

    private String classType(String node) {
        return prompt.getAsJsonObject(node).get("class_type").getAsString();
    }

    private boolean isOutputNode(String node) {
        return queue.nodes().entry(classType(node)).map(PromptValidator::isOutput).orElse(false);
    }
}
