package dev.switchboard.distribution.durability;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Compares the reference model with what the server shows and what it stored, describing every difference. */
final class ModelComparison {
    private ModelComparison() {
    }

    /** Compares a {@code ListBackends} answer (real backends only) with the whole model. */
    static List<String> withList(ReferenceModel model, JsonObject list) {
        return withList(model.backends(), list, model.facts(), true);
    }

    /**
     * Compares the listed backends among {@code expected} with it; with {@code exhaustive}, a listed backend
     * that {@code expected} lacks is a difference too.
     */
    static List<String> withList(Map<Integer, ExpectedBackend> expected, JsonObject list, BackendTypeFacts facts,
                                 boolean exhaustive) {
        List<String> problems = new ArrayList<>();
        Set<String> listed = new TreeSet<>(list.keySet());
        for (Map.Entry<Integer, ExpectedBackend> backend : expected.entrySet()) {
            String key = Integer.toString(backend.getKey());
            listed.remove(key);
            if (!list.has(key)) {
                problems.add("ListBackends lacks backend " + key + " " + backend.getValue());
                continue;
            }
            ExpectedBackend wanted = backend.getValue();
            JsonObject view = list.getAsJsonObject(key);
            if (!wanted.matchesView(view, facts.secrets(wanted.type()), facts.headerLists(wanted.type()))) {
                problems.add("ListBackends shows backend " + key + " as " + view + " instead of " + wanted);
            }
        }
        if (exhaustive) {
            for (String extra : listed) {
                problems.add("ListBackends shows backend " + extra + " that the model lacks: " + list.get(extra));
            }
        }
        return problems;
    }

    /** Compares {@code backends.json} with the whole model, entry by entry. */
    static List<String> withFile(ReferenceModel model, BackendsFileContent file) {
        List<String> problems = new ArrayList<>();
        Map<Integer, ExpectedBackend> expected = model.backends();
        Set<Integer> ids = new TreeSet<>(expected.keySet());
        ids.addAll(file.backends().keySet());
        for (Integer id : ids) {
            ExpectedBackend wanted = expected.get(id);
            ExpectedBackend stored = file.backends().get(id);
            if (wanted == null || !wanted.equals(stored)) {
                problems.add("backends.json holds backend " + id + " as " + stored + ", the model as " + wanted);
            }
        }
        if (file.nextId() <= model.highestGivenId()) {
            problems.add("backends.json has next_id " + file.nextId() + ", but id " + model.highestGivenId()
                    + " was already given out");
        }
        return problems;
    }
}
