package dev.switchboard.server.generation;

import static java.util.Objects.requireNonNull;

import dev.switchboard.api.BackendStatus;
import dev.switchboard.api.generation.ModelType;
import dev.switchboard.server.backends.BackendRegistry;
import dev.switchboard.server.backends.BackendSnapshot;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The models the server's backends can use, as they reported them: per kind, the union over running generating
 * backends, each name with whether some backend has it loaded. Answers from snapshots, never asking a plugin, so
 * a master that lists models seven times a second costs nothing but the lists.
 */
public final class ModelCatalog {
    private final BackendRegistry backends;

    public ModelCatalog(BackendRegistry backends) {
        this.backends = requireNonNull(backends, "backends is null");
    }

    /** One listed model: its name and whether some backend has it as its current model. */
    public record Entry(String name, boolean loaded) {
    }

    /** The models of {@code type}, sorted by name (case-insensitively, then exactly). */
    public List<Entry> list(ModelType type) {
        Set<String> loaded = new TreeSet<>();
        Map<String, Boolean> names = new TreeMap<>(String.CASE_INSENSITIVE_ORDER.thenComparing(String::compareTo));
        for (BackendSnapshot backend : backends.list(true)) {
            if (!backend.generates() || backend.status() != BackendStatus.RUNNING) {
                continue;
            }
            for (String name : backend.models().getOrDefault(type, List.of())) {
                names.put(name, Boolean.TRUE);
            }
            if (backend.currentModel() != null) {
                loaded.add(backend.currentModel());
            }
        }
        return names.keySet().stream().map(name -> new Entry(name, loaded.contains(name))).toList();
    }

    /** Whether some running generating backend reports a list of {@code type} at all. */
    public boolean tracked(ModelType type) {
        return backends.list(true).stream().anyMatch(backend -> backend.generates()
                && backend.status() == BackendStatus.RUNNING && backend.models().containsKey(type));
    }
}
