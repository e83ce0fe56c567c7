package dev.switchboard.server.backends;

import static java.util.Objects.requireNonNull;

import dev.switchboard.api.settings.Settings;
import dev.switchboard.server.store.BackendEntry;
import dev.switchboard.server.store.BackendStore;
import dev.switchboard.server.store.StoreException;
import dev.switchboard.server.store.StoreUnavailableException;
import dev.switchboard.server.store.StoredState;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes changes to real backends to the store, durably, before they take effect: each method returns once the
 * change is on disk, or throws with the message the API client sees and nothing changed. Holds no lock of the
 * registry while writing, so concurrent changes share one write (the store's group commit).
 */
final class BackendPersistence {
    private static final Logger LOG = LoggerFactory.getLogger(BackendPersistence.class);

    private final BackendStore store;

    BackendPersistence(BackendStore store) {
        this.store = requireNonNull(store, "store is null");
    }

    BackendStore store() {
        return store;
    }

    /** Writes a new backend and moves the next id past it. */
    void added(BackendRecord record, Settings settings) throws BackendOperationException {
        int id = record.id();
        BackendEntry entry = new BackendEntry(id, record.type.id(), "", true, settings);
        save(state -> state.withEntry(-1, entry).withNextId(Math.max(state.nextId(), id + 1)));
    }

    /** Writes a backend's new configuration, possibly at a new id. */
    void edited(BackendRecord record, int previousId, int newId, String title, boolean enabled, Settings settings)
            throws BackendOperationException {
        BackendEntry entry = new BackendEntry(newId, record.type.id(), title, enabled, settings);
        save(state -> state.withEntry(previousId, entry).withNextId(Math.max(state.nextId(), newId + 1)));
    }

    /** Writes a backend's enabled flag. */
    void toggled(BackendRecord record, boolean enabled) throws BackendOperationException {
        int id = record.id();
        BackendEntry entry = new BackendEntry(id, record.type.id(), record.title(), enabled, record.settings());
        save(state -> state.withEntry(id, entry));
    }

    /** Removes a backend's entry (a backend's, or a kept entry's whose type is unavailable). */
    void removed(int id) throws BackendOperationException {
        save(state -> state.withoutBackend(id));
    }

    private void save(UnaryOperator<StoredState> change) throws BackendOperationException {
        try {
            store.update(change);
        } catch (StoreUnavailableException e) {
            throw new BackendOperationException(e.getMessage());
        } catch (StoreException e) {
            LOG.error("Could not save {}", store.file(), e);
            throw new BackendOperationException("Could not save the change to " + store.file() + ": " + e.getMessage()
                    + " Nothing was changed.");
        }
    }
}
