package dev.switchboard.server.outputs;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A page of a user's outputs, newest first.
 *
 * @param entries the outputs of this page
 * @param offset how many newer outputs come before this page
 * @param limit the largest number of entries a page holds, as asked
 * @param total how many outputs there are in all
 */
public record OutputPage(List<OutputEntry> entries, int offset, int limit, int total) {

    public OutputPage {
        entries = List.copyOf(requireNonNull(entries, "entries is null"));
    }
}
