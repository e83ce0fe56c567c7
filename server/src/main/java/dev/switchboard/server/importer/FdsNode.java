package dev.switchboard.server.importer;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A value of an FDS document: a scalar's text, a list of texts, or a section of keyed values. */
sealed interface FdsNode {
    /** @return the 1-based line where the value (or its key) is */
    int line();

    /**
     * A scalar, unescaped. FDS also types scalars (canonical integers and decimals, {@code true}/{@code false});
     * the text is kept, because every reader of a backends file converts it by the setting's type anyway.
     */
    record Scalar(String text, int line) implements FdsNode {
    }

    /** A {@code - item} list. */
    record ListNode(List<Scalar> items, int line) implements FdsNode {
    }

    /** A section: its keys in file order. */
    record Section(Map<String, FdsNode> entries, int line) implements FdsNode {
        public Section {
            entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        }

        Optional<FdsNode> get(String key) {
            return Optional.ofNullable(entries.get(key));
        }
    }
}
