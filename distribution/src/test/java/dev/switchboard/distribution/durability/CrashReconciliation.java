package dev.switchboard.distribution.durability;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compares what a server killed with SIGKILL left in {@code backends.json} with the reference model: every
 * acknowledged change must be there exactly; each change that was in flight at the kill must be there either
 * completely or not at all, and the model then takes on whichever it was, so the next trial goes on from the
 * true state.
 */
final class CrashReconciliation {

    /** A change a worker sent and never got an answer to. */
    record InFlight(int worker, BackendMutation mutation) {
        InFlight {
            requireNonNull(mutation, "mutation is null");
        }
    }

    /**
     * What one comparison found.
     *
     * @param problems every lost, changed, half-applied or unexplained entry, in words
     * @param entriesChecked stored entries compared with an acknowledged state
     * @param inFlightApplied in-flight changes found completely applied
     * @param inFlightAbsent in-flight changes found not applied at all (or indistinguishable, e.g. a no-op)
     */
    record Outcome(List<String> problems, int entriesChecked, int inFlightApplied, int inFlightAbsent) {
        Outcome {
            problems = List.copyOf(problems);
        }
    }

    private CrashReconciliation() {
    }

    /** Checks the file against the model and resolves the in-flight changes into the model. */
    static Outcome reconcile(ReferenceModel model, List<InFlight> inFlight, BackendsFileContent file) {
        List<String> problems = new ArrayList<>();
        Map<Integer, ExpectedBackend> expected = model.backends();
        Map<Integer, ExpectedBackend> actual = file.backends();
        Set<Integer> affected = new HashSet<>();
        List<InFlight> adds = new ArrayList<>();
        List<InFlight> others = new ArrayList<>();
        for (InFlight change : inFlight) {
            if (change.mutation() instanceof BackendMutation.Add) {
                adds.add(change);
            } else {
                others.add(change);
                affected.addAll(change.mutation().affectedIds());
            }
        }
        int checked = 0;
        Set<Integer> unexplained = new TreeSet<>();
        Set<Integer> ids = new TreeSet<>(expected.keySet());
        ids.addAll(actual.keySet());
        for (Integer id : ids) {
            if (affected.contains(id)) {
                continue;
            }
            ExpectedBackend wanted = expected.get(id);
            ExpectedBackend found = actual.get(id);
            if (wanted == null) {
                unexplained.add(id);
                continue;
            }
            checked++;
            if (found == null) {
                problems.add("LOST: backend " + id + " was acknowledged as " + wanted + " but is not in the file");
            } else if (!wanted.equals(found)) {
                problems.add("CHANGED: backend " + id + " was acknowledged as " + wanted + " but the file holds "
                        + found);
            }
        }
        int applied = 0;
        int absent = 0;
        for (InFlight change : others) {
            Set<Integer> touched = change.mutation().affectedIds();
            Map<Integer, ExpectedBackend> before = restrict(expected, touched);
            Map<Integer, ExpectedBackend> after = new TreeMap<>(before);
            change.mutation().applyTo(after, -1, model.facts());
            Map<Integer, ExpectedBackend> found = restrict(actual, touched);
            checked += touched.size();
            if (found.equals(before)) {
                absent++;
            } else if (found.equals(after)) {
                model.applyRecovered(change.worker(), change.mutation(), -1);
                applied++;
            } else {
                problems.add("HALF-APPLIED: " + change.mutation() + " was in flight; before it " + before
                        + ", after it " + after + ", but the file holds " + found);
            }
        }
        for (Integer id : unexplained) {
            ExpectedBackend found = actual.get(id);
            InFlight creator = takeMatchingAdd(adds, found, model.facts());
            if (creator == null) {
                problems.add("UNEXPLAINED: backend " + id + " " + found
                        + " is in the file, but no acknowledged or in-flight change created it");
            } else {
                model.applyRecovered(creator.worker(), creator.mutation(), id);
                applied++;
                checked++;
            }
        }
        absent += adds.size();
        if (file.nextId() <= model.highestGivenId()) {
            problems.add("REUSE: next_id " + file.nextId() + " would hand out id " + model.highestGivenId()
                    + " again, which an acknowledged change already gave out");
        }
        return new Outcome(problems, checked, applied, absent);
    }

    private static InFlight takeMatchingAdd(List<InFlight> adds, ExpectedBackend found, BackendTypeFacts facts) {
        for (Iterator<InFlight> it = adds.iterator(); it.hasNext(); ) {
            InFlight add = it.next();
            String type = ((BackendMutation.Add) add.mutation()).type();
            if (facts.newBackend(type).equals(found)) {
                it.remove();
                return add;
            }
        }
        return null;
    }

    private static Map<Integer, ExpectedBackend> restrict(Map<Integer, ExpectedBackend> backends, Set<Integer> ids) {
        Map<Integer, ExpectedBackend> restricted = new TreeMap<>();
        for (Integer id : ids) {
            ExpectedBackend backend = backends.get(id);
            if (backend != null) {
                restricted.put(id, backend);
            }
        }
        return restricted;
    }
}
