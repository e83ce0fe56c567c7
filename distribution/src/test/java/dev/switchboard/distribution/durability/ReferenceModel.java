package dev.switchboard.distribution.durability;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonObject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The configuration every acknowledged change adds up to, and which client thread ("worker") owns each
 * backend. Each worker changes only its own backends and moves them only to ids it vacated itself, so per
 * backend the server sees one worker's requests one after another and their acknowledged order is the order
 * they took effect: the model never has to guess how two concurrent changes of one backend were ordered.
 * Thread-safe.
 */
final class ReferenceModel {
    private final BackendTypeFacts facts;
    private final Map<Integer, ExpectedBackend> backends = new TreeMap<>();
    private final Map<Integer, Integer> owners = new HashMap<>();
    private final Map<Integer, Set<Integer>> vacated = new HashMap<>();
    private int highestGivenId = -1;
    private long acknowledged;

    ReferenceModel(BackendTypeFacts facts) {
        this.facts = requireNonNull(facts, "facts is null");
    }

    BackendTypeFacts facts() {
        return facts;
    }

    /** Records backends that exist before any worker runs, as owned by {@code worker}. */
    synchronized void adopt(int worker, int id, ExpectedBackend backend) {
        backends.put(id, backend);
        owners.put(id, worker);
        highestGivenId = Math.max(highestGivenId, id);
    }

    /** Records a change the server acknowledged (answered 200 without {@code error}). */
    synchronized void acknowledge(int worker, BackendMutation mutation, JsonObject answer) {
        int addedId = mutation instanceof BackendMutation.Add ? answer.get("id").getAsInt() : -1;
        apply(worker, mutation, addedId);
        acknowledged++;
    }

    /** Records an unacknowledged change that the restarted server shows as having taken effect. */
    synchronized void applyRecovered(int worker, BackendMutation mutation, int addedId) {
        apply(worker, mutation, addedId);
    }

    private void apply(int worker, BackendMutation mutation, int addedId) {
        Set<Integer> before = new HashSet<>(backends.keySet());
        mutation.applyTo(backends, addedId, facts);
        Set<Integer> vacatedByWorker = vacated.computeIfAbsent(worker, key -> new TreeSet<>());
        for (Integer id : backends.keySet()) {
            if (!before.contains(id)) {
                owners.put(id, worker);
                vacatedByWorker.remove(id);
                highestGivenId = Math.max(highestGivenId, id);
            }
        }
        for (Integer id : before) {
            if (!backends.containsKey(id)) {
                owners.remove(id);
                vacatedByWorker.add(id);
            }
        }
    }

    /** The backends {@code worker} owns, by id. */
    synchronized Map<Integer, ExpectedBackend> ownedBy(int worker) {
        Map<Integer, ExpectedBackend> owned = new TreeMap<>();
        owners.forEach((id, owner) -> {
            if (owner == worker) {
                owned.put(id, backends.get(id));
            }
        });
        return owned;
    }

    /** Ids {@code worker} deleted or moved away from: free, and free for no one else to take. */
    synchronized Set<Integer> vacatedBy(int worker) {
        return new TreeSet<>(vacated.getOrDefault(worker, Set.of()));
    }

    /** Every backend, by id. */
    synchronized Map<Integer, ExpectedBackend> backends() {
        return new TreeMap<>(backends);
    }

    /** The highest id the server ever gave out in an acknowledged change; never to be handed out again. */
    synchronized int highestGivenId() {
        return highestGivenId;
    }

    synchronized long acknowledged() {
        return acknowledged;
    }
}
