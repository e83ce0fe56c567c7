package dev.switchboard.testkit.backends;

import static java.util.Objects.requireNonNull;

import dev.switchboard.api.Backend;
import dev.switchboard.api.BackendContext;
import java.util.function.Function;

/**
 * A non-real child backend a backend spawned through {@link RecordingChildBackends}.
 *
 * @param id the negative id handed out
 * @param title the title the parent gave
 * @param factory the factory the parent passed; a test may call it to create the child's backend
 */
public record SpawnedChild(int id, String title, Function<BackendContext, Backend> factory) {

    /**
     * Checks the fields.
     *
     * @param id the id
     * @param title the title, never null
     * @param factory the factory, never null
     */
    public SpawnedChild {
        requireNonNull(title, "title is null");
        requireNonNull(factory, "factory is null");
    }
}
