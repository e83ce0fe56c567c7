package dev.switchboard.server.importer;

import static java.util.Objects.requireNonNull;

import dev.switchboard.server.store.StoredState;
import java.util.List;
import java.util.Set;

/**
 * What an import does: the backends it writes (each added, or replacing the entry with its id), the id counter
 * after it, and the problems that refuse it as a whole.
 *
 * @param file the SwarmUI file read
 * @param backends the converted backends, in file order (only those that converted, when there are problems)
 * @param replaced the ids of existing entries the import overwrites ({@code --replace})
 * @param problems why the import is refused, each naming a line; empty when it can be written
 * @param nextId the id the next new backend gets after the import
 */
record ImportPlan(SwarmBackendsFile file, List<ConvertedBackend> backends, Set<Integer> replaced, List<String> problems,
                  int nextId) {
    ImportPlan {
        requireNonNull(file, "file is null");
        backends = List.copyOf(backends);
        replaced = Set.copyOf(replaced);
        problems = List.copyOf(problems);
    }

    /** @return whether the import is refused (nothing may be written) */
    boolean refused() {
        return !problems.isEmpty();
    }

    /**
     * The state with the imported backends written in: each replaces the entry with its id (verbatim: nothing of
     * the old entry is kept) or is added; the id counter never goes back.
     *
     * @throws IllegalStateException when the plan is refused, or {@code state} has an id the plan did not
     *     expect to replace (it changed since the plan was made)
     */
    StoredState applyTo(StoredState state) {
        if (refused()) {
            throw new IllegalStateException("a refused import cannot be written");
        }
        StoredState result = state;
        for (ConvertedBackend backend : backends) {
            int id = backend.entry().id();
            boolean exists = state.backends().stream().anyMatch(entry -> entry.id() == id);
            if (exists && !replaced.contains(id)) {
                throw new IllegalStateException("backend id " + id + " was taken since the import was planned");
            }
            result = result.withoutBackend(id).withBackend(backend.entry());
        }
        return result.withNextId(Math.max(result.nextId(), nextId));
    }
}
