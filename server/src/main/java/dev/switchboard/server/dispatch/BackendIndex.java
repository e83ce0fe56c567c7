package dev.switchboard.server.dispatch;

import dev.switchboard.api.BackendStatus;
import dev.switchboard.api.generation.ModelType;
import dev.switchboard.server.backends.BackendSnapshot;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The backends a dispatcher matches jobs against, indexed so that choosing one costs in proportion to the
 * backends that list the job's main model, not to every backend: the backends that make images (or will once
 * started) by model key ({@link ModelNames#key}), and those with a free slot by model key and by the model they
 * have loaded, each set ordered by the dispatcher's preference (fewest jobs, then lowest id). Kept current one
 * backend at a time from snapshots ({@link #put}, {@link #remove}) and from the dispatcher's own claims.
 * {@link BackendMatcher} still judges every backend chosen; the keys only narrow whom it is asked about.
 * Not thread-safe: the dispatcher thread alone uses it.
 */
final class BackendIndex {
    private static final Comparator<Entry> PREFERENCE = Comparator.<Entry>comparingInt(entry -> entry.usages)
            .thenComparingInt(entry -> entry.id);

    /** Every backend that makes images or may once started (running, loading or waiting), by id. */
    private final TreeMap<Integer, Entry> eligible = new TreeMap<>();
    private final Map<String, Set<Entry>> eligibleByKey = new HashMap<>();
    /** Eligible backends that never reported a main-model list: they take any model name as sent. */
    private final Set<Entry> eligibleUnlisted = new HashSet<>();
    /** Every backend the index knows, eligible or not. */
    private final Map<Integer, Entry> all = new HashMap<>();
    /** The backends a claim on which was refused since their last snapshot. */
    private final Set<Integer> failedClaims = new HashSet<>();

    private final NavigableSet<Entry> free = new TreeSet<>(PREFERENCE);
    private final Map<String, NavigableSet<Entry>> freeByKey = new HashMap<>();
    private final NavigableSet<Entry> freeUnlisted = new TreeSet<>(PREFERENCE);
    /** Free backends by the key of the main model they have loaded. */
    private final Map<String, NavigableSet<Entry>> freeByLoadedKey = new HashMap<>();

    /** Adds a backend, or replaces what the index knew of it; forgets a claim that failed on it. */
    void put(BackendSnapshot backend) {
        remove(backend.id());
        Entry entry = new Entry(backend);
        all.put(entry.id, entry);
        if (!BackendMatcher.generating(backend) || !BackendMatcher.comingOrThere(backend)) {
            return;
        }
        eligible.put(entry.id, entry);
        if (entry.keys == null) {
            eligibleUnlisted.add(entry);
        } else {
            for (String key : entry.keys) {
                eligibleByKey.computeIfAbsent(key, k -> new HashSet<>()).add(entry);
            }
        }
        linkFree(entry);
    }

    /** Forgets a backend that is gone. */
    void remove(int id) {
        failedClaims.remove(id);
        Entry entry = all.remove(id);
        if (entry == null) {
            return;
        }
        unlinkFree(entry);
        if (eligible.remove(id) == null) {
            return;
        }
        if (entry.keys == null) {
            eligibleUnlisted.remove(entry);
        } else {
            for (String key : entry.keys) {
                removeFrom(eligibleByKey, key, entry);
            }
        }
    }

    /** The dispatcher took one of its slots: it counts one more job until its next snapshot says otherwise. */
    void claimed(int id) {
        Entry entry = all.get(id);
        if (entry != null) {
            unlinkFree(entry);
            entry.usages++;
            linkFree(entry);
        }
    }

    /** A claim on it was refused: it is not offered again until its next snapshot. */
    void claimFailed(int id) {
        Entry entry = all.get(id);
        if (entry != null) {
            unlinkFree(entry);
            entry.claimFailed = true;
            failedClaims.add(id);
        }
    }

    /** @return the ids of the backends whose claims failed, to look at again */
    List<Integer> claimsFailed() {
        return List.copyOf(failedClaims);
    }

    /**
     * Chooses the backend a job should go to now: a free one that can take it, with the job's main model
     * loaded if any has, else the one with the fewest jobs, then the lowest id.
     *
     * @return the match, or null when no free backend can take the job
     */
    BackendMatch best(JobRequirements job) {
        String main = job.mainModel();
        if (main == null) {
            return firstMatch(free.iterator(), job);
        }
        String key = ModelNames.requestKey(main);
        for (Entry entry : freeByLoadedKey.getOrDefault(key, Collections.emptyNavigableSet())) {
            BackendMatcher.Verdict verdict = BackendMatcher.judge(entry.backend, job);
            if (verdict.matches() && verdict.match().mainModel().equals(entry.backend.currentModel())) {
                return verdict.match();
            }
        }
        // No backend with the model loaded can take it: whichever can, fewest jobs first (none of them has it loaded).
        return firstMatch(new Merged(freeByKey.getOrDefault(key, Collections.emptyNavigableSet()).iterator(),
                freeUnlisted.iterator()), job);
    }

    /**
     * Tells why a job that no free backend can take must fail, or that it may wait.
     *
     * @return null when some backend that runs or is starting could take it; else the message to fail it with
     */
    String refusal(JobRequirements job) {
        if (eligible.isEmpty()) {
            return Dispatcher.NO_BACKENDS;
        }
        String main = job.mainModel();
        Iterable<Entry> candidates = main == null ? eligible.values()
                : eligibleByKey.getOrDefault(ModelNames.requestKey(main), Set.of());
        if (anyMatches(candidates, job) || main != null && anyMatches(eligibleUnlisted, job)) {
            return null;
        }
        // The job fails: every backend's reason, in id order, as SwarmUI lists them (once per failed job).
        Set<String> refusals = new LinkedHashSet<>();
        for (Entry entry : eligible.values()) {
            BackendMatcher.Verdict verdict = BackendMatcher.judge(entry.backend, job);
            if (verdict.matches()) {
                return null;
            }
            refusals.add(verdict.refusal());
        }
        return Dispatcher.NO_MATCH + "\n- " + String.join("\n- ", refusals);
    }

    /** @return how many backends the index knows */
    int size() {
        return all.size();
    }

    private static boolean anyMatches(Iterable<Entry> entries, JobRequirements job) {
        for (Entry entry : entries) {
            if (BackendMatcher.judge(entry.backend, job).matches()) {
                return true;
            }
        }
        return false;
    }

    private static BackendMatch firstMatch(Iterator<Entry> entries, JobRequirements job) {
        while (entries.hasNext()) {
            BackendMatcher.Verdict verdict = BackendMatcher.judge(entries.next().backend, job);
            if (verdict.matches()) {
                return verdict.match();
            }
        }
        return null;
    }

    private void linkFree(Entry entry) {
        if (!entry.free()) {
            return;
        }
        free.add(entry);
        if (entry.keys == null) {
            freeUnlisted.add(entry);
        } else {
            for (String key : entry.keys) {
                freeByKey.computeIfAbsent(key, k -> new TreeSet<>(PREFERENCE)).add(entry);
            }
        }
        if (entry.loadedKey != null) {
            freeByLoadedKey.computeIfAbsent(entry.loadedKey, k -> new TreeSet<>(PREFERENCE)).add(entry);
        }
    }

    // Before any field the order reads changes.
    private void unlinkFree(Entry entry) {
        if (!free.remove(entry)) {
            return;
        }
        if (entry.keys == null) {
            freeUnlisted.remove(entry);
        } else {
            for (String key : entry.keys) {
                removeFrom(freeByKey, key, entry);
            }
        }
        if (entry.loadedKey != null) {
            removeFrom(freeByLoadedKey, entry.loadedKey, entry);
        }
    }

    private static <S extends Set<Entry>> void removeFrom(Map<String, S> sets, String key, Entry entry) {
        S set = sets.get(key);
        if (set != null && set.remove(entry) && set.isEmpty()) {
            sets.remove(key);
        }
    }

    /** What the index keeps of one backend. */
    private static final class Entry {
        final int id;
        final BackendSnapshot backend;
        /** The keys of its main models, or null when it never reported a list of them. */
        final Set<String> keys;
        final String loadedKey;
        final boolean runnable;
        int usages;
        boolean claimFailed;

        Entry(BackendSnapshot backend) {
            this.id = backend.id();
            this.backend = backend;
            List<String> listed = backend.models().get(ModelType.STABLE_DIFFUSION);
            if (listed == null) {
                keys = null;
            } else {
                keys = new HashSet<>();
                listed.forEach(name -> keys.add(ModelNames.key(name)));
            }
            loadedKey = backend.currentModel() == null ? null : ModelNames.requestKey(backend.currentModel());
            runnable = backend.status() == BackendStatus.RUNNING && backend.enabled() && backend.generates();
            usages = backend.usages();
        }

        boolean free() {
            return runnable && !claimFailed && usages < backend.maxUsages();
        }
    }

    /** Two iterators in preference order merged into one; neither holds an entry twice, nor do both. */
    private static final class Merged implements Iterator<Entry> {
        private final Iterator<Entry> a;
        private final Iterator<Entry> b;
        private Entry nextA;
        private Entry nextB;

        Merged(Iterator<Entry> a, Iterator<Entry> b) {
            this.a = a;
            this.b = b;
            nextA = a.hasNext() ? a.next() : null;
            nextB = b.hasNext() ? b.next() : null;
        }

        @Override
        public boolean hasNext() {
            return nextA != null || nextB != null;
        }

        @Override
        public Entry next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Entry result;
            if (nextB == null || nextA != null && PREFERENCE.compare(nextA, nextB) <= 0) {
                result = nextA;
                nextA = a.hasNext() ? a.next() : null;
            } else {
                result = nextB;
                nextB = b.hasNext() ? b.next() : null;
            }
            return result;
        }
    }
}
