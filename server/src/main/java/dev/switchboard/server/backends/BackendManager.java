package dev.switchboard.server.backends;

import static java.util.Objects.requireNonNull;

import dev.switchboard.server.plugins.BackendTypeRegistry;
import dev.switchboard.server.plugins.Durations;
import dev.switchboard.server.plugins.PluginCallRunner;
import dev.switchboard.server.scheduling.SharedScheduler;
import dev.switchboard.server.store.BackendStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backends of one server, assembled: the {@linkplain #registry() registry} (reads and job claims), the
 * {@linkplain #operations() operations} the API offers, loading at start-up and stopping everything at the end.
 */
public final class BackendManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BackendManager.class);
    private static final Duration SERVER_STOP_DRAIN = Duration.ofSeconds(5);

    private final BackendRegistry registry;
    private final LifecycleOptions options;
    private final BackendLifecycle lifecycle;
    private final BackendOperations operations;
    private final BackendLoader loader;
    private final SharedScheduler schedulers;

    public BackendManager(BackendStore store, BackendTypeRegistry types, PluginCallRunner runner,
                          ServerIdentity identity, LifecycleOptions options, Path backendsWorkRoot) {
        this(store, types, runner, identity, options, backendsWorkRoot, InitListener.NONE);
    }

    /** As the other constructor, telling {@code inits} about every initialisation attempt. */
    public BackendManager(BackendStore store, BackendTypeRegistry types, PluginCallRunner runner,
                          ServerIdentity identity, LifecycleOptions options, Path backendsWorkRoot,
                          InitListener inits) {
        requireNonNull(store, "store is null");
        requireNonNull(inits, "inits is null");
        requireNonNull(types, "types is null");
        requireNonNull(runner, "runner is null");
        this.options = requireNonNull(options, "options is null");
        this.registry = new BackendRegistry(runner);
        // Owned here: every instance's scheduler() is a view of it, and it closes after the last backend stopped.
        this.schedulers = SharedScheduler.sizedToMachine();
        this.lifecycle = new BackendLifecycle(runner, identity, options, backendsWorkRoot, registry, inits,
                schedulers);
        this.operations = new BackendOperations(registry, lifecycle, new BackendPersistence(store), types, runner,
                options);
        this.loader = new BackendLoader(store, types, registry, lifecycle);
    }

    public BackendRegistry registry() {
        return registry;
    }

    public BackendOperations operations() {
        return operations;
    }

    /** Loads the stored backends and starts initialising them in the background. Called once. */
    public void start() {
        load();
        startInits();
    }

    /** Loads the stored backends, all {@code waiting}, without starting them; {@link #startInits()} does. */
    public void load() {
        loader.load();
    }

    /** Starts initialising the loaded backends on a background thread (creating thousands takes seconds). */
    public void startInits() {
        loader.startInits();
    }

    /** Stops every backend (in parallel, each under its deadlines), the lifecycle threads and the shared scheduler. */
    @Override
    public void close() {
        registry.close();
        loader.awaitStartup(SERVER_STOP_DRAIN);
        ExecutorService stoppers = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "backend-stop");
            thread.setDaemon(true);
            return thread;
        });
        for (BackendRecord record : registry.records()) {
            if (record.real) {
                stoppers.execute(() -> lifecycle.stop(record, true, "Server stopped.", SERVER_STOP_DRAIN));
            }
        }
        stoppers.shutdown();
        try {
            Duration limit = SERVER_STOP_DRAIN.plus(options.shutdownTimeout()).plusSeconds(2);
            if (!stoppers.awaitTermination(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("Some backends did not stop within {}; leaving them behind", Durations.describe(limit));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lifecycle.close();
        schedulers.close();
    }
}
