package dev.switchboard.plugins.comfyui.connection;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How long a ComfyUI backend waits for what. Each deadline covers a whole exchange, body included.
 *
 * @param connect how long opening a connection may take
 * @param load the deadline for loading {@code /object_info}, which is large on servers with many nodes
 * @param probe the total deadline for one health probe ({@code GET /features}) of a running backend
 * @param probeInterval the pause between the end of one probe and the start of the next
 * @param request the deadline for other calls, such as {@code /free}
 */
public record ComfyUiTimeouts(Duration connect, Duration load, Duration probe, Duration probeInterval,
        Duration request) {

    /**
     * The values used in production. A running {@code comfyui_api} backend is probed every 5 s (as SwarmUI's
     * idle monitor does) and each probe may take 10 s in all, so a server that dies or stalls, even in the
     * middle of an answer, is noticed within 15 s; a refused connection within 5 s. {@code /features} is a
     * few bytes, so 10 s only runs out on a server that is wedged, not on one that is busy generating.
     */
    public static final ComfyUiTimeouts DEFAULTS = new ComfyUiTimeouts(Duration.ofSeconds(10),
            Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(60));

    /**
     * Checks that every duration is positive.
     *
     * @param connect connect timeout
     * @param load {@code /object_info} deadline
     * @param probe probe deadline
     * @param probeInterval pause between probes
     * @param request deadline of other calls
     */
    public ComfyUiTimeouts {
        requirePositive(connect, "connect");
        requirePositive(load, "load");
        requirePositive(probe, "probe");
        requirePositive(probeInterval, "probeInterval");
        requirePositive(request, "request");
    }

    private static void requirePositive(Duration duration, String name) {
        requireNonNull(duration, name + " is null");
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + duration);
        }
    }
}
