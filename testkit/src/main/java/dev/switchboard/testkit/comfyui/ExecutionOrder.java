package dev.switchboard.testkit.comfyui;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The order in which ComfyUI 0.3.64 runs a prompt's nodes, worked out as its {@code ExecutionList} does: the
 * pending nodes are collected depth first from each output, and among the nodes whose inputs are ready it takes an
 * output node first, then a node feeding an output, then one two links away, else the earliest collected. For the
 * recorded txt2img graph this gives 4, 5, 7, 6, 3, 8, 9, as the recording shows.
 */
final class ExecutionOrder {

    private ExecutionOrder() {
    }

    /**
     * @param prompt the graph
     * @param outputs the output nodes to run, in order
     * @param isOutput tells whether a node id is an output node
     * @return every node that runs, in running order
     */
    static List<String> of(JsonObject prompt, List<String> outputs, Predicate<String> isOutput) {
        Map<String, Set<String>> blocking = new LinkedHashMap<>();
        Map<String, Integer> blockCount = new LinkedHashMap<>();
        for (String output : outputs) {
            collect(prompt, output, blocking, blockCount);
        }
        List<String> order = new ArrayList<>();
        while (!blockCount.isEmpty()) {
            List<String> ready = blockCount.entrySet().stream().filter(entry -> entry.getValue() == 0)
                    .map(Map.Entry::getKey).toList();
            if (ready.isEmpty()) {
                throw new IllegalStateException("the graph has a cycle");
            }
            String next = pick(ready, blocking, isOutput);
            order.add(next);
            blockCount.remove(next);
            for (String blocked : blocking.getOrDefault(next, Set.of())) {
                blockCount.computeIfPresent(blocked, (id, count) -> count - 1);
            }
        }
        return order;
    }

    private static void collect(JsonObject prompt, String start, Map<String, Set<String>> blocking,
            Map<String, Integer> blockCount) {
        Deque<String> stack = new ArrayDeque<>(List.of(start));
        List<String[]> links = new ArrayList<>();
        while (!stack.isEmpty()) {
            String id = stack.pop();
            if (blockCount.containsKey(id)) {
                continue;
            }
            blockCount.put(id, 0);
            blocking.putIfAbsent(id, new LinkedHashSet<>());
            for (Map.Entry<String, JsonElement> input : inputs(prompt, id).entrySet()) {
                String from = linkSource(input.getValue());
                if (from != null && prompt.has(from)) {
                    stack.push(from);
                    links.add(new String[] {from, id});
                }
            }
        }
        for (String[] link : links) {
            Set<String> blocked = blocking.computeIfAbsent(link[0], id -> new LinkedHashSet<>());
            if (blocked.add(link[1])) {
                blockCount.merge(link[1], 1, Integer::sum);
            }
        }
    }

    private static String pick(List<String> ready, Map<String, Set<String>> blocking, Predicate<String> isOutput) {
        for (String id : ready) {
            if (isOutput.test(id)) {
                return id;
            }
        }
        for (String id : ready) {
            if (blocking.get(id).stream().anyMatch(isOutput)) {
                return id;
            }
        }
        for (String id : ready) {
            for (String blocked : blocking.get(id)) {
                if (blocking.getOrDefault(blocked, Set.of()).stream().anyMatch(isOutput)) {
                    return id;
                }
            }
        }
        return ready.get(0);
    }

    static JsonObject inputs(JsonObject prompt, String id) {
        JsonElement inputs = prompt.getAsJsonObject(id).get("inputs");
        return inputs != null && inputs.isJsonObject() ? inputs.getAsJsonObject() : new JsonObject();
    }

    /** @return the node a {@code [id, index]} link comes from, or null when the value is not a link */
    static String linkSource(JsonElement value) {
        if (value == null || !value.isJsonArray() || value.getAsJsonArray().size() != 2) {
            return null;
        }
        JsonElement from = value.getAsJsonArray().get(0);
        return from.isJsonPrimitive() ? from.getAsString() : null;
    }
}
