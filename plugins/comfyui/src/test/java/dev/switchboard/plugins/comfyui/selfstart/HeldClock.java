package dev.switchboard.plugins.comfyui.selfstart;

import static java.util.Objects.requireNonNull;

import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * A nanosecond clock that stands still from its first reading until a condition holds, then runs on from where
 * it stood: a deadline measured on it starts counting at the event, not at a moment a loaded machine may reach
 * long before the event.
 */
final class HeldClock implements LongSupplier {
    private final BooleanSupplier release;
    private boolean started;
    private boolean released;
    private long heldAt;
    private long offset;

    HeldClock(BooleanSupplier release) {
        this.release = requireNonNull(release, "release is null");
    }

    @Override
    public synchronized long getAsLong() {
        long now = System.nanoTime();
        if (released) {
            return now - offset;
        }
        if (!started) {
            started = true;
            heldAt = now;
        }
        if (release.getAsBoolean()) {
            released = true;
            offset = now - heldAt;
        }
        return heldAt;
    }
}
