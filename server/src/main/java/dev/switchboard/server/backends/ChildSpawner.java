package dev.switchboard.server.backends;

import dev.switchboard.api.ChildBackends;

/** Hands an instance the {@link ChildBackends} of its backend, bound to the instance's generation. */
interface ChildSpawner {
    ChildBackends handleFor(BackendRecord parent, long generation);
}
