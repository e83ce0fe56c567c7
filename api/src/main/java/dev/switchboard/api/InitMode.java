package dev.switchboard.api;

/**
 * How the host schedules {@link Backend#init()} calls for backends of one type.
 *
 * @since 1.0
 */
public enum InitMode {
    /**
     * Each backend initialises on its own as soon as it is added, loaded or edited (fast types); a few per core
     * (at least 8) at once, so when thousands become due together the rest wait for a free turn.
     */
    PARALLEL,
    /**
     * Backends of all serial types initialise strictly one after another, in request order. Meant for
     * types that start heavy local processes (e.g. a self-started ComfyUI), so they do not compete for
     * the GPU while loading.
     */
    SERIAL
}
