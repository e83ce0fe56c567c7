package dev.switchboard.server.store;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Optional;

/**
 * Keeps a copy of an unreadable document file for the operator, e.g. as {@code backends.json.unreadable-<time>}:
 * the original stays where it is, but a copy survives whatever the operator does next. Only one copy is
 * made per distinct content, so restarting a server that keeps finding the same bad file adds none.
 */
final class UnreadableFileCopies {
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

    private final Path file;
    private final StoreFileSystem fileSystem;
    private final Clock clock;

    UnreadableFileCopies(Path file, StoreFileSystem fileSystem, Clock clock) {
        this.file = requireNonNull(file, "file is null");
        this.fileSystem = requireNonNull(fileSystem, "fileSystem is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * Returns a copy holding exactly {@code content}: an existing one, or a new durable one.
     *
     * @throws IOException when no copy could be made
     */
    Path keep(byte[] content) throws IOException {
        Optional<Path> existing = findCopyOf(content);
        if (existing.isPresent()) {
            return existing.get();
        }
        Path copy = freshName();
        fileSystem.write(copy, content);
        fileSystem.force(copy);
        fileSystem.forceDirectory(file.getParent());
        return copy;
    }

    private Optional<Path> findCopyOf(byte[] content) throws IOException {
        for (Path entry : fileSystem.list(file.getParent())) {
            if (isCopyName(entry) && holds(entry, content)) {
                return Optional.of(entry);
            }
        }
        return Optional.empty();
    }

    private boolean holds(Path entry, byte[] content) {
        try {
            return Arrays.equals(fileSystem.read(entry), content);
        } catch (IOException e) {
            return false;
        }
    }

    private Path freshName() {
        String base = file.getFileName() + ".unreadable-" + TIMESTAMP.format(clock.instant());
        Path candidate = file.resolveSibling(base);
        for (int suffix = 2; fileSystem.exists(candidate); suffix++) {
            candidate = file.resolveSibling(base + "-" + suffix);
        }
        return candidate;
    }

    private boolean isCopyName(Path entry) {
        return entry.getFileName().toString().startsWith(file.getFileName() + ".unreadable-");
    }
}
