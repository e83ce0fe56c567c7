package dev.switchboard.distribution.durability;

import static java.util.Objects.requireNonNull;

/**
 * One generated step of a client thread. What it acts on is decided when it runs: {@code selector} picks
 * one of the thread's backends at that moment, {@code valueSeed} seeds the values it sends.
 */
record OperationStep(Kind kind, int selector, long valueSeed) {
    OperationStep {
        requireNonNull(kind, "kind is null");
    }

    /** What a step does. Only the first five change stored configuration. */
    enum Kind {
        ADD,
        ADD_SELF_START,
        EDIT,
        TOGGLE,
        DELETE,
        /** {@code RestartBackends} of one own backend. */
        RESTART_OWN,
        /** {@code RestartBackends all}: touches every thread's backends, changes no configuration. */
        RESTART_ALL,
        /** {@code FreeBackendMemory all}: touches every thread's running backends. */
        FREE_MEMORY,
        /** {@code ListBackends}: must show this thread's backends exactly as acknowledged. */
        LIST
    }
}
