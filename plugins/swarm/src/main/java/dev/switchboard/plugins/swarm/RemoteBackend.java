package dev.switchboard.plugins.swarm;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.switchboard.plugins.support.UntrustedText;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One entry of the remote's {@code ListBackends} answer, read tolerantly so that old and current SwarmUI
 * versions and Switchboard all work (ids as numbers or strings, missing optional fields).
 *
 * @param id the remote backend's id
 * @param type its type id, e.g. {@code comfyui_api}
 * @param status its lower-case status, e.g. {@code running}
 * @param title its title; may be empty
 * @param features the features it advertises
 * @param canLoadModels whether it can load models
 * @param maxUsages its concurrency limit
 * @param currentModel its loaded model, or null
 */
record RemoteBackend(int id, String type, String status, String title, Set<String> features, boolean canLoadModels,
                     int maxUsages, String currentModel) {

    /** The type id of Swarm backends, whose entries {@code AllowForwarding=false} skips. */
    static final String SWARM_TYPE = "swarmswarmbackend";

    boolean isRunning() {
        return "running".equals(status);
    }

    boolean isLoading() {
        return "loading".equals(status);
    }

    boolean isSwarm() {
        return SWARM_TYPE.equals(type);
    }

    /**
     * Reads a {@code ListBackends} answer: an object keyed by id.
     *
     * @throws RemoteSwarmException when an entry has no usable id
     */
    static List<RemoteBackend> parseList(String address, JsonObject answer) throws RemoteSwarmException {
        Map<Integer, RemoteBackend> byId = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> entry : answer.entrySet()) {
            if (!entry.getValue().isJsonObject()) {
                continue;
            }
            JsonObject view = entry.getValue().getAsJsonObject();
            Integer id = integer(view.get("id"));
            if (id == null) {
                id = integer(new com.google.gson.JsonPrimitive(entry.getKey()));
            }
            if (id == null) {
                throw new RemoteSwarmException(RemoteSwarmException.Kind.BAD_ANSWER, "Remote Swarm server at "
                        + address + " listed a backend without a numeric id: " + UntrustedText.sanitize(entry.getKey(), 40),
                        null);
            }
            Set<String> features = new TreeSet<>();
            if (view.has("features") && view.get("features").isJsonArray()) {
                for (JsonElement feature : view.getAsJsonArray("features")) {
                    if (feature.isJsonPrimitive()) {
                        features.add(feature.getAsString());
                    }
                }
            }
            Integer maxUsages = integer(view.get("max_usages"));
            byId.put(id, new RemoteBackend(id, string(view.get("type"), ""), string(view.get("status"), "").toLowerCase(
                    java.util.Locale.ROOT), string(view.get("title"), ""), Set.copyOf(features),
                    bool(view.get("can_load_models"), true), maxUsages == null ? 1 : Math.max(0, maxUsages),
                    string(view.get("current_model"), null)));
        }
        return new ArrayList<>(byId.values());
    }

    private static Integer integer(JsonElement element) {
        if (element == null || !element.isJsonPrimitive()) {
            return null;
        }
        try {
            return Integer.parseInt(element.getAsString().strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String string(JsonElement element, String fallback) {
        return element != null && element.isJsonPrimitive() ? element.getAsString() : fallback;
    }

    private static boolean bool(JsonElement element, boolean fallback) {
        if (element == null || !element.isJsonPrimitive()) {
            return fallback;
        }
        return element.getAsJsonPrimitive().isBoolean() ? element.getAsBoolean()
                : "true".equalsIgnoreCase(element.getAsString());
    }
}
