package dev.switchboard.server.backends;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The most recent lines of a backend engine's own output, numbered from 0 so a reader can ask for what came
 * after the last line it saw. Bounded in lines and in line length, so a chatty or hostile process cannot
 * exhaust memory. Thread-safe.
 */
final class OutputLog {
    static final int DEFAULT_CAPACITY = 1000;
    static final int MAX_LINE_LENGTH = 4096;

    private final int capacity;
    private final ArrayDeque<String> lines;
    private long next;

    OutputLog(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
        // Grows with the output: most backends never log, and thousands of empty full-size buffers add up.
        this.lines = new ArrayDeque<>();
    }

    synchronized void append(String line) {
        if (lines.size() == capacity) {
            lines.removeFirst();
        }
        lines.addLast(line.length() > MAX_LINE_LENGTH ? line.substring(0, MAX_LINE_LENGTH) + "..." : line);
        next++;
    }

    /** Lines numbered {@code cursor} and later, at most {@code limit} of them. */
    synchronized OutputPage since(long cursor, int limit) {
        long first = next - lines.size();
        long from = Math.max(Math.max(0, cursor), first);
        List<String> page = new ArrayList<>();
        long index = first;
        for (String line : lines) {
            if (index >= from && page.size() < limit) {
                page.add(line);
            }
            index++;
        }
        return new OutputPage(from, from + page.size(), Math.max(0, first - Math.max(0, cursor)), page);
    }
}
