package dev.switchboard.testkit.backends;

import static java.util.Objects.requireNonNull;

import dev.switchboard.api.Backend;
import dev.switchboard.api.BackendContext;
import dev.switchboard.api.ChildBackends;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * A {@link ChildBackends} that records what a backend spawns and removes, without running the children.
 * Ids are handed out like the host does: -1, -2, ..., never reused. Thread-safe.
 */
public final class RecordingChildBackends implements ChildBackends {
    private final BooleanSupplier parentIsCurrent;
    private final Map<Integer, SpawnedChild> live = new LinkedHashMap<>();
    private final List<SpawnedChild> spawned = new ArrayList<>();
    private final List<Integer> removed = new ArrayList<>();
    private int nextId = -1;

    /**
     * Creates the recorder.
     *
     * @param parentIsCurrent tells whether the parent instance is still current; spawning is refused once not
     */
    public RecordingChildBackends(BooleanSupplier parentIsCurrent) {
        this.parentIsCurrent = requireNonNull(parentIsCurrent, "parentIsCurrent is null");
    }

    @Override
    public synchronized int spawn(String title, Function<BackendContext, Backend> factory) {
        requireNonNull(title, "title is null");
        requireNonNull(factory, "factory is null");
        if (!parentIsCurrent.getAsBoolean()) {
            throw new IllegalStateException("the parent backend is no longer current");
        }
        SpawnedChild child = new SpawnedChild(nextId--, title, factory);
        live.put(child.id(), child);
        spawned.add(child);
        return child.id();
    }

    @Override
    public synchronized void remove(int childId) {
        if (live.remove(childId) != null) {
            removed.add(childId);
        }
    }

    /**
     * Returns every spawn, in order, including children removed since.
     *
     * @return an immutable copy
     */
    public synchronized List<SpawnedChild> spawned() {
        return List.copyOf(spawned);
    }

    /**
     * Returns the ids of removed children, in removal order (unknown ids are not recorded).
     *
     * @return an immutable copy
     */
    public synchronized List<Integer> removed() {
        return List.copyOf(removed);
    }

    /**
     * Returns the children spawned and not removed, in spawn order.
     *
     * @return an immutable copy
     */
    public synchronized List<SpawnedChild> live() {
        return List.copyOf(live.values());
    }
}
