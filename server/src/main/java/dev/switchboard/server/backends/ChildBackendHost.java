package dev.switchboard.server.backends;

import static java.util.Objects.requireNonNull;

import dev.switchboard.api.Backend;
import dev.switchboard.api.BackendContext;
import dev.switchboard.api.ChildBackends;
import java.time.Duration;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Non-real children: spawned by a backend instance through its context (a remote Swarm server's backends, for
 * example), never stored, and removed whenever their parent stops.
 */
final class ChildBackendHost {
    private static final Logger LOG = LoggerFactory.getLogger(ChildBackendHost.class);

    private final BackendRegistry registry;
    private final BackendLifecycle lifecycle;
    private final Duration drain;

    ChildBackendHost(BackendRegistry registry, BackendLifecycle lifecycle, Duration drain) {
        this.registry = requireNonNull(registry, "registry is null");
        this.lifecycle = requireNonNull(lifecycle, "lifecycle is null");
        this.drain = requireNonNull(drain, "drain is null");
    }

    /** The {@link ChildBackends} of one incarnation of {@code parent}: it spawns nothing once that ends. */
    ChildBackends handleFor(BackendRecord parent, long generation) {
        return new ChildBackends() {
            @Override
            public int spawn(String title, Function<BackendContext, Backend> factory) {
                return spawnChild(parent, generation, title, factory);
            }

            @Override
            public void remove(int childId) {
                BackendRecord child = registry.record(childId);
                if (child != null && child.parent == parent && registry.removeChild(childId, child)) {
                    lifecycle.stop(child, false, "Removed by its parent.", drain);
                }
            }
        };
    }

    /** Stops and removes every child of {@code parent}; called whenever the parent is stopped. */
    void removeChildrenOf(BackendRecord parent) {
        for (BackendRecord child : registry.records()) {
            if (child.parent == parent && registry.removeChild(child.id(), child)) {
                lifecycle.stop(child, false, "Removed with its parent.", drain);
            }
        }
    }

    private int spawnChild(BackendRecord parent, long generation, String title,
                           Function<BackendContext, Backend> factory) {
        requireNonNull(title, "title is null");
        requireNonNull(factory, "factory is null");
        BackendRecord[] child = new BackendRecord[1];
        boolean spawned = !registry.closing() && parent.runInIncarnation(generation, () -> registry.registerChild(
                id -> child[0] = registry.newRecord(parent.type, id, false, parent, factory, title,
                        true, parent.settings())));
        if (!spawned) {
            throw new IllegalStateException("Backend " + parent.id() + " is shutting down; it cannot spawn children");
        }
        LOG.info("{} spawned non-real {}", parent, child[0]);
        lifecycle.startInit(child[0]);
        return child[0].id();
    }
}
