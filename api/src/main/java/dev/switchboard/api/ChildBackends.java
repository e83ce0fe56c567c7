package dev.switchboard.api;

import java.util.function.Function;

/**
 * Lets a backend spawn and remove <em>non-real</em> child backends: backends that are listed only with
 * {@code ListBackends nonreal=true}, get negative ids, are never persisted, and link back to their parent
 * (e.g. a remote Swarm server's backends mirrored locally).
 *
 * <p>Children share the parent's type and settings. The host removes every child of a backend when that
 * backend is shut down (deleted, edited, restarted, disabled). Thread-safe.
 *
 * @since 1.0
 */
public interface ChildBackends {

    /**
     * Registers a new non-real backend and starts its initialisation.
     *
     * @param title the child's title, e.g. {@code "[Remote from 3: GPU box] comfy 1"}; never null
     * @param factory creates the child's {@link Backend} for the context the host gives it; called on a
     *     host worker thread, once per initialisation attempt of the child
     * @return the child's id (negative, never reused while the server runs)
     * @throws IllegalStateException if the parent is shutting down or no longer current
     */
    int spawn(String title, Function<BackendContext, Backend> factory);

    /**
     * Shuts a child down and removes it. Unknown ids and ids of other backends' children are ignored.
     *
     * @param childId an id returned by {@link #spawn}
     */
    void remove(int childId);
}
