package dev.switchboard.plugins.comfyui.connection;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.switchboard.api.generation.ModelType;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a ComfyUI server's {@code /object_info} says that backends need: the node types it has and the
 * models its loader nodes list ({@link ModelKind}). Model names use {@code /} as separator whatever the server's OS;
 * {@link #usesBackslashPaths()} tells whether the server wrote them with {@code \}. Immutable.
 */
public final class ObjectInfo {
    private static final ObjectInfo EMPTY = new ObjectInfo(Set.of(), new EnumMap<>(ModelKind.class), false);

    private final Set<String> nodeTypes;
    private final Map<ModelKind, List<String>> models;
    private final boolean backslashPaths;

    private ObjectInfo(Set<String> nodeTypes, Map<ModelKind, List<String>> models, boolean backslashPaths) {
        this.nodeTypes = Collections.unmodifiableSet(new LinkedHashSet<>(nodeTypes));
        EnumMap<ModelKind, List<String>> copy = new EnumMap<>(ModelKind.class);
        for (ModelKind kind : ModelKind.values()) {
            copy.put(kind, List.copyOf(models.getOrDefault(kind, List.of())));
        }
        this.models = Collections.unmodifiableMap(copy);
        this.backslashPaths = backslashPaths;
    }

    /**
     * Returns the state before anything was loaded: no nodes, no models, slash paths.
     *
     * @return the empty info
     */
    public static ObjectInfo empty() {
        return EMPTY;
    }

    /**
     * Reads a {@code /object_info} body. Tolerant: entries in unexpected shapes count as node types but list
     * no models.
     *
     * @param body the JSON object, keyed by node type
     * @return the info
     */
    public static ObjectInfo parse(JsonObject body) {
        requireNonNull(body, "body is null");
        Map<ModelKind, List<String>> models = new EnumMap<>(ModelKind.class);
        boolean backslash = false;
        for (ModelKind kind : ModelKind.values()) {
            Set<String> names = new LinkedHashSet<>();
            for (String name : optionList(body, kind.loader())) {
                backslash |= name.indexOf('\\') >= 0;
                names.add(name.replace('\\', '/'));
            }
            models.put(kind, List.copyOf(names));
        }
        return new ObjectInfo(body.keySet(), models, backslash);
    }

    /**
     * Returns the node type names, in the server's order.
     *
     * @return an unmodifiable set
     */
    public Set<String> nodeTypes() {
        return nodeTypes;
    }

    /**
     * Tells whether the server has a node type.
     *
     * @param name e.g. {@code SwarmKSampler}
     * @return true when listed
     */
    public boolean hasNode(String name) {
        return nodeTypes.contains(name);
    }

    /**
     * Returns the models of one kind, without duplicates, in the server's order.
     *
     * @param kind the kind
     * @return an unmodifiable list, possibly empty
     */
    public List<String> models(ModelKind kind) {
        return models.get(requireNonNull(kind, "kind is null"));
    }

    /**
     * Returns every model list.
     *
     * @return an unmodifiable map with an entry (possibly empty) for every kind
     */
    public Map<ModelKind, List<String>> models() {
        return models;
    }

    /**
     * Returns the model lists as the api reports them: names with {@code /}, per {@link ModelType}.
     *
     * @return an unmodifiable map with an entry (possibly empty) for every type
     */
    public Map<ModelType, List<String>> modelsByType() {
        Map<ModelType, List<String>> byType = new EnumMap<>(ModelType.class);
        models.forEach((kind, names) -> byType.put(kind.modelType(), names));
        return Collections.unmodifiableMap(byType);
    }

    /**
     * Converts a model name as reported ({@code /} between folders) to the server's own separator.
     *
     * @param name e.g. {@code sdxl/base.safetensors}
     * @return the name as the server lists it, e.g. {@code sdxl\base.safetensors} on a Windows server
     */
    public String serverName(String name) {
        return backslashPaths ? name.replace('/', '\\') : name;
    }

    /**
     * Returns how many models are listed, over all kinds.
     *
     * @return the count
     */
    public int modelCount() {
        return models.values().stream().mapToInt(List::size).sum();
    }

    /**
     * Tells whether any model name came with {@code \} separators (a Windows server).
     *
     * @return true for backslash paths
     */
    public boolean usesBackslashPaths() {
        return backslashPaths;
    }

    /**
     * Reads the option list of a loader input, in either of ComfyUI's formats: {@code [[names...], {...}]}
     * or {@code ["COMBO", {"options": [names...]}]}.
     */
    private static List<String> optionList(JsonObject body, ModelKind.LoaderInput loader) {
        JsonElement spec = child(child(child(body.get(loader.node()), "input"), "required"), loader.input());
        if (spec == null || !spec.isJsonArray() || spec.getAsJsonArray().isEmpty()) {
            return List.of();
        }
        JsonArray parts = spec.getAsJsonArray();
        JsonElement first = parts.get(0);
        if (first.isJsonArray()) {
            return strings(first.getAsJsonArray());
        }
        boolean combo = first.isJsonPrimitive() && "COMBO".equals(first.getAsString());
        if (combo && parts.size() > 1) {
            JsonElement options = child(parts.get(1), "options");
            if (options != null && options.isJsonArray()) {
                return strings(options.getAsJsonArray());
            }
        }
        return List.of();
    }

    private static JsonElement child(JsonElement parent, String key) {
        return parent != null && parent.isJsonObject() ? parent.getAsJsonObject().get(key) : null;
    }

    private static List<String> strings(JsonArray array) {
        return array.asList().stream()
                .filter(element -> element.isJsonPrimitive() && element.getAsJsonPrimitive().isString())
                .map(JsonElement::getAsString)
                .toList();
    }

    @Override
    public String toString() {
        return "ObjectInfo[" + nodeTypes.size() + " node types, " + modelCount() + " models]";
    }
}
