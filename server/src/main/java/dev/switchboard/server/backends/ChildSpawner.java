package dev.switchboard.server.backends;

import dev.switchboard.api.ChildBackends;

/** The registry side of non-real children, as the lifecycle needs it. */
interface ChildSpawner {
    /** Hands an instance the {@link ChildBackends} of its backend, bound to the instance's generation. */
    ChildBackends handleFor(BackendRecord parent, long generation);

    /** Stops and removes every child of {@code parent}; called whenever the parent is stopped. */
    void removeChildrenOf(BackendRecord parent);
}
