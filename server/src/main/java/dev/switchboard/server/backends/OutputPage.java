package dev.switchboard.server.backends;

import java.util.List;

/**
 * A page of a backend's output log.
 *
 * @param first the number of the first line returned
 * @param next the cursor to ask for next (the number after the last line returned)
 * @param dropped how many lines after the requested cursor were already discarded (the log is bounded)
 * @param lines the lines, oldest first
 */
public record OutputPage(long first, long next, long dropped, List<String> lines) {
    public OutputPage {
        lines = List.copyOf(lines);
    }
}
