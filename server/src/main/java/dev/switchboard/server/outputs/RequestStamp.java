package dev.switchboard.server.outputs;

import static java.util.Objects.requireNonNull;

import java.time.LocalDateTime;

/**
 * When a generation request was made, as its outputs are named: the local date and time of the request and its
 * number within that minute ({@code [request_time_inc]}, 1 to 999). Every image of one request shares the stamp,
 * as in SwarmUI; {@link OutputStore#stampRequest()} makes them.
 *
 * @param time the request's local date and time (the store's clock and zone)
 * @param increment the request's number within its minute, 1 to 999
 */
public record RequestStamp(LocalDateTime time, int increment) {

    /** The largest increment; the next request of the same minute starts again at 1. */
    public static final int MAX_INCREMENT = 999;

    public RequestStamp {
        requireNonNull(time, "time is null");
        if (increment < 1 || increment > MAX_INCREMENT) {
            throw new IllegalArgumentException("increment must be between 1 and " + MAX_INCREMENT + ": " + increment);
        }
    }
}
