package dev.switchboard.server.store;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonObject;
import dev.switchboard.server.settings.SettingsJson;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything in {@code backends.json}: the id counter, the backend entries in file order, and any top-level
 * fields this version does not know (kept so a newer file's additions survive a save). Immutable.
 */
public final class StoredState {
    private static final StoredState EMPTY = new StoredState(0, List.of(), new JsonObject());

    private final int nextId;
    private final List<StoredBackend> backends;
    private final JsonObject unknownFields;

    StoredState(int nextId, List<StoredBackend> backends, JsonObject unknownFields) {
        requireNonNull(backends, "backends is null");
        requireNonNull(unknownFields, "unknownFields is null");
        if (nextId < 0) {
            throw new IllegalArgumentException("nextId must be 0 or more, but is " + nextId);
        }
        Set<Integer> ids = new HashSet<>();
        for (StoredBackend backend : backends) {
            requireNonNull(backend, "backends contains null");
            if (!ids.add(backend.id())) {
                throw new IllegalArgumentException("backend id " + backend.id() + " is used twice");
            }
        }
        this.nextId = nextId;
        this.backends = List.copyOf(backends);
        this.unknownFields = unknownFields.deepCopy();
    }

    /** @return the state of a data directory that has never been saved to: id counter 0, no backends */
    public static StoredState empty() {
        return EMPTY;
    }

    /** @return the id the next new backend gets, as stored; 0 or more */
    public int nextId() {
        return nextId;
    }

    /** @return the entries in file order; an immutable list */
    public List<StoredBackend> backends() {
        return backends;
    }

    /** @return a copy with another id counter */
    public StoredState withNextId(int nextId) {
        return new StoredState(nextId, backends, unknownFields);
    }

    /**
     * Returns a copy with other entries and the same unknown top-level fields.
     *
     * @throws IllegalArgumentException when two entries share an id
     */
    public StoredState withBackends(List<StoredBackend> backends) {
        return new StoredState(nextId, backends, unknownFields);
    }

    /** @return a copy of the top-level fields this version does not know, in file order */
    /**
     * Returns this state with {@code backend} in place of the entry with its id, or added in id order.
     *
     * @param backend the entry
     * @return the new state
     */
    public StoredState withBackend(StoredBackend backend) {
        requireNonNull(backend, "backend is null");
        List<StoredBackend> result = new ArrayList<>(backends.size() + 1);
        boolean placed = false;
        for (StoredBackend existing : backends) {
            if (!placed && existing.id() >= backend.id()) {
                result.add(backend);
                placed = true;
            }
            if (existing.id() != backend.id()) {
                result.add(existing);
            }
        }
        if (!placed) {
            result.add(backend);
        }
        return new StoredState(nextId, result, unknownFields);
    }

    /**
     * Returns this state with {@code entry} written in place of the entry at {@code previousId} (which it may
     * move to another id), or added when there is none. Unknown fields of the replaced entry, and stored setting
     * keys that {@code entry}'s settings do not declare, are kept as they were.
     *
     * @param previousId the id the backend had in this state, or -1 for a new backend
     * @param entry what to write
     * @return the new state
     */
    public StoredState withEntry(int previousId, BackendEntry entry) {
        requireNonNull(entry, "entry is null");
        StoredBackend previous = null;
        for (StoredBackend existing : backends) {
            if (existing.id() == previousId) {
                previous = existing;
            }
        }
        StoredBackend written = previous == null
                ? StoredBackend.of(entry.id(), entry.type(), entry.title(), entry.enabled(),
                        SettingsJson.toStored(entry.settings()))
                : previous.withFields(entry.id(), entry.title(), entry.enabled(),
                        previous.mergedSettings(SettingsJson.toStored(entry.settings())));
        return (previous == null ? this : withoutBackend(previousId)).withBackend(written);
    }

    /**
     * Returns this state without the entry with that id (the same state when there is none).
     *
     * @param id the backend id
     * @return the new state
     */
    public StoredState withoutBackend(int id) {
        List<StoredBackend> result = new ArrayList<>(backends);
        return result.removeIf(backend -> backend.id() == id)
                ? new StoredState(nextId, result, unknownFields) : this;
    }

    JsonObject unknownFields() {
        return unknownFields.deepCopy();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StoredState that
                && nextId == that.nextId
                && backends.equals(that.backends)
                && unknownFields.equals(that.unknownFields);
    }

    /** Leaves the unknown fields out, for the reason given in {@link StoredBackend#hashCode()}. */
    @Override
    public int hashCode() {
        return Objects.hash(nextId, backends);
    }

    @Override
    public String toString() {
        return "StoredState[nextId=" + nextId + ", backends=" + backends + "]";
    }
}
