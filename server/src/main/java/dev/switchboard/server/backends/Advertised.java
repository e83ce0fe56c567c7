package dev.switchboard.server.backends;

import dev.switchboard.api.generation.ModelType;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;

/**
 * What a backend advertises, as its current instance reported it: features, how many jobs it takes at once,
 * whether models may be loaded on it, its current model, the models it can use and its node types. Immutable,
 * so snapshots share it; each report makes a new one.
 *
 * @param features sorted and unmodifiable
 * @param maxUsages the most jobs at once, 0 or more
 * @param canLoadModels whether models may be loaded on it
 * @param currentModel the loaded model, or null
 * @param models model names per kind, unmodifiable
 * @param nodeTypes node types of an engine that runs graphs, unmodifiable
 */
record Advertised(SortedSet<String> features, int maxUsages, boolean canLoadModels, String currentModel,
                  Map<ModelType, List<String>> models, Set<String> nodeTypes) {

    /** What a backend advertises before its instance reported anything. */
    static final Advertised INITIAL = new Advertised(Collections.emptySortedSet(), 1, true, null, Map.of(), Set.of());

    Advertised withFeatures(SortedSet<String> value) {
        return new Advertised(value, maxUsages, canLoadModels, currentModel, models, nodeTypes);
    }

    Advertised withMaxUsages(int value) {
        return new Advertised(features, value, canLoadModels, currentModel, models, nodeTypes);
    }

    Advertised withCanLoadModels(boolean value) {
        return new Advertised(features, maxUsages, value, currentModel, models, nodeTypes);
    }

    Advertised withCurrentModel(String value) {
        return new Advertised(features, maxUsages, canLoadModels, value, models, nodeTypes);
    }

    /** @param value model names per kind; copied */
    Advertised withModels(Map<ModelType, ? extends Collection<String>> value) {
        Map<ModelType, List<String>> copy = new EnumMap<>(ModelType.class);
        value.forEach((type, names) -> copy.put(type, List.copyOf(names)));
        return new Advertised(features, maxUsages, canLoadModels, currentModel, Collections.unmodifiableMap(copy),
                nodeTypes);
    }

    Advertised withNodeTypes(Set<String> value) {
        return new Advertised(features, maxUsages, canLoadModels, currentModel, models, Set.copyOf(value));
    }
}
