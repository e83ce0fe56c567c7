package dev.switchboard.server.backends;

import dev.switchboard.api.settings.Settings;
import dev.switchboard.server.plugins.BackendTypeRegistry;
import dev.switchboard.server.plugins.RegisteredBackendType;
import dev.switchboard.server.store.BackendStore;
import dev.switchboard.server.store.StoreFormatException;
import dev.switchboard.server.store.StoredBackend;
import dev.switchboard.server.store.StoredState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the stored backends into the registry at start-up, all {@code waiting}, and later starts their inits
 * on a background thread: the server loads before its API starts and starts the inits after, so thousands of
 * them never delay it. Entries whose type is unavailable or whose settings no longer fit are kept unloaded.
 */
final class BackendLoader {
    private static final Logger LOG = LoggerFactory.getLogger(BackendLoader.class);

    private final BackendStore store;
    private final BackendTypeRegistry types;
    private final BackendRegistry registry;
    private final BackendLifecycle lifecycle;
    /** The backends load() found, until startInits() takes them. Set and read by the starting thread. */
    private List<BackendRecord> loaded = List.of();
    /** Starts the loaded backends' inits; null before startInits(). */
    private volatile Thread startupInits;

    BackendLoader(BackendStore store, BackendTypeRegistry types, BackendRegistry registry, BackendLifecycle lifecycle) {
        this.store = store;
        this.types = types;
        this.registry = registry;
        this.lifecycle = lifecycle;
    }

    /** Loads the stored backends without starting them. Called once. */
    void load() {
        List<BackendRecord> found = new ArrayList<>();
        StoredState state = store.state();
        for (StoredBackend entry : state.backends()) {
            Optional<RegisteredBackendType> type = types.find(entry.type());
            if (type.isEmpty()) {
                keepUnloaded(entry, "Backend type '" + entry.type()
                        + "' is not available: its plugin is not installed or failed to load.");
                continue;
            }
            Settings settings;
            try {
                settings = entry.bindSettings(type.get().schema());
            } catch (StoreFormatException e) {
                keepUnloaded(entry, "Its stored settings are invalid: " + e.getMessage());
                continue;
            }
            BackendRecord record = registry.newRecord(type.get(), entry.id(), true, null, null,
                    entry.title(), entry.enabled(), settings);
            registry.registerLoaded(record);
            found.add(record);
        }
        registry.setNextId(state.nextId());
        store.problem().ifPresent(LOG::error);
        LOG.info("Loaded {} backend(s) from {}", found.size(), store.file());
        loaded = List.copyOf(found);
    }

    /** Starts initialising the loaded backends on a background thread (creating thousands takes seconds). */
    void startInits() {
        List<BackendRecord> toStart = loaded;
        loaded = List.of();
        Thread thread = new Thread(() -> startLoaded(toStart), "backend-startup");
        thread.setDaemon(true);
        startupInits = thread;
        thread.start();
    }

    /** Waits for the start-up thread to finish, at most {@code limit}; the registry is closing. */
    void awaitStartup(Duration limit) {
        Thread startup = startupInits;
        if (startup != null) {
            try {
                startup.join(limit.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void startLoaded(List<BackendRecord> records) {
        for (BackendRecord record : records) {
            if (registry.closing()) {
                return;
            }
            record.operationLock.lock();
            try {
                // An edit, toggle or restart that came first has started (or stopped) it already.
                if (record.neverStarted() && registry.record(record.id()) == record && !registry.closing()) {
                    lifecycle.startInit(record);
                }
            } catch (RuntimeException e) {
                LOG.error("Could not start {}", record, e);
            } finally {
                record.operationLock.unlock();
            }
        }
    }

    private void keepUnloaded(StoredBackend entry, String reason) {
        registry.keepUnloaded(new UnloadedBackend(entry.id(), entry.type(), entry.title(), reason));
        LOG.warn("Backend {} ({}) is kept in {} but not loaded: {}", entry.id(), entry.type(), store.file(), reason);
    }
}
