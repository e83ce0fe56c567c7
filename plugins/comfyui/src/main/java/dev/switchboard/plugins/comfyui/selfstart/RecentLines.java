package dev.switchboard.plugins.comfyui.selfstart;

import dev.switchboard.plugins.support.UntrustedText;
import java.util.ArrayDeque;
import java.util.List;

/** The last few lines a process printed, kept for failure messages. Thread-safe. */
final class RecentLines {
    private final int capacity;
    private final ArrayDeque<String> lines = new ArrayDeque<>();

    RecentLines(int capacity) {
        this.capacity = capacity;
    }

    synchronized void add(String line) {
        if (lines.size() == capacity) {
            lines.removeFirst();
        }
        lines.addLast(line);
    }

    synchronized List<String> snapshot() {
        return List.copyOf(lines);
    }

    /**
     * Returns the lines joined for a status message, cleaned of control characters and cut to a length.
     *
     * @param count how many of the last lines
     * @return e.g. {@code "Traceback ... | RuntimeError: boom"}, or {@code (no output)}
     */
    synchronized String summary(int count) {
        List<String> all = List.copyOf(lines);
        List<String> last = all.subList(Math.max(0, all.size() - count), all.size());
        if (last.isEmpty()) {
            return "(no output)";
        }
        return UntrustedText.sanitize(String.join(" | ", last), 1500);
    }
}
