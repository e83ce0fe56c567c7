package dev.switchboard.server.importer;

import dev.switchboard.server.store.StoredBackend;
import dev.switchboard.server.store.StoredState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Plans an import against the data directory's current state: converts every backend, and refuses ids already in
 * use unless replacing is allowed. Every problem is collected, so one run lists all there is to fix.
 */
final class ImportPlanner {
    private final BackendConverter converter;

    ImportPlanner(BackendConverter converter) {
        this.converter = converter;
    }

    ImportPlan plan(SwarmBackendsFile file, StoredState current, boolean replace) {
        List<String> problems = new ArrayList<>();
        List<ConvertedBackend> converted = new ArrayList<>();
        for (SwarmBackend backend : file.backends()) {
            converter.convert(backend, problems).ifPresent(converted::add);
        }
        Map<Integer, StoredBackend> existing = current.backends().stream()
                .collect(Collectors.toMap(StoredBackend::id, Function.identity()));
        Set<Integer> replaced = new HashSet<>();
        int nextId = current.nextId();
        for (SwarmBackend backend : file.backends()) {
            nextId = Math.max(nextId, backend.id() + 1);
            StoredBackend taken = existing.get(backend.id());
            if (taken == null) {
                continue;
            }
            if (replace) {
                replaced.add(backend.id());
            } else {
                problems.add("line " + backend.line() + ": backend " + backend.id() + " (" + backend.type()
                        + "): the id " + backend.id() + " is already used by backend '" + taken.title() + "' ("
                        + taken.type() + "); --replace overwrites it");
            }
        }
        return new ImportPlan(file, converted, replaced, problems, nextId);
    }
}
