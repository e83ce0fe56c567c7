package dev.switchboard.server.importer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A SwarmUI backends file ({@code Data/Backends.fds}), read as SwarmUI reads it at start-up: one section per real
 * backend, keyed by its id, holding {@code type}, {@code title} (default empty), {@code enabled} (default true) and
 * {@code settings}; other keys are ignored. Both layouts load: CUR's (SwarmUI 0.9) and OLD's (StableSwarmUI, whose
 * types and settings differ and whose early files have no title). When the file is missing, its {@code ~2} copy
 * (left by a save SwarmUI did not finish) is read instead, as SwarmUI does; its {@code ~1} copy, possibly half
 * written, never is.
 *
 * @param source the file actually read
 * @param requested the path given
 * @param backends the backends in file order
 */
record SwarmBackendsFile(Path source, Path requested, List<SwarmBackend> backends) {
    /** SwarmUI's file name in its data folder. */
    static final String FILE_NAME = "Backends.fds";
    /** The suffix of the copy SwarmUI keeps while it saves. */
    static final String SAVE_COPY_SUFFIX = "~2";

    SwarmBackendsFile {
        backends = List.copyOf(backends);
    }

    /** @return whether the {@code ~2} copy was read because the file itself is missing */
    boolean readSaveCopy() {
        return !source.equals(requested);
    }

    /**
     * Reads a backends file; a folder stands for the {@code Backends.fds} inside it (SwarmUI's {@code Data}
     * folder).
     *
     * @throws NoSuchFileException when neither the file nor its {@code ~2} copy exists; the message names both
     * @throws FdsParseException when it is not FDS or not a backends file; the message names the line
     */
    static SwarmBackendsFile read(Path path) throws IOException, FdsParseException {
        return read(path, locate(path));
    }

    /**
     * The file {@link #read(Path)} reads for a path: the file (or the {@code Backends.fds} of a folder), else its
     * {@code ~2} copy.
     *
     * @throws NoSuchFileException when neither exists; the message names both
     */
    static Path locate(Path path) throws NoSuchFileException {
        Path requested = requested(path);
        Path copy = requested.resolveSibling(requested.getFileName() + SAVE_COPY_SUFFIX);
        if (Files.exists(requested)) {
            return requested;
        }
        if (Files.exists(copy)) {
            return copy;
        }
        throw new NoSuchFileException(requested.toString(), null, "no such file, and no " + copy.getFileName()
                + " (the copy SwarmUI keeps while it saves) beside it");
    }

    /** Reads the backends file {@link #locate(Path)} found for a path. */
    static SwarmBackendsFile read(Path path, Path source) throws IOException, FdsParseException {
        return new SwarmBackendsFile(source, requested(path), backends(FdsParser.parse(Files.readAllBytes(source))));
    }

    private static Path requested(Path path) {
        return Files.isDirectory(path) ? path.resolve(FILE_NAME) : path;
    }

    static List<SwarmBackend> backends(FdsNode.Section root) throws FdsParseException {
        List<SwarmBackend> backends = new ArrayList<>();
        for (Map.Entry<String, FdsNode> entry : root.entries().entrySet()) {
            backends.add(backend(entry.getKey(), entry.getValue()));
        }
        return backends;
    }

    private static SwarmBackend backend(String key, FdsNode node) throws FdsParseException {
        int id = id(key, node.line());
        if (!(node instanceof FdsNode.Section section)) {
            throw new FdsParseException(node.line(), "backend " + id + " is a single value, not a section holding its"
                    + " type, title, enabled and settings");
        }
        String type = text(section, "type", id)
                .orElseThrow(() -> new FdsParseException(section.line(), "backend " + id + " has no 'type'"));
        if (type.isEmpty()) {
            throw new FdsParseException(section.get("type").orElseThrow().line(), "backend " + id
                    + " has an empty 'type'");
        }
        String title = text(section, "title", id).orElse("");
        boolean enabled = enabled(section, id);
        Map<String, FdsNode> settings = Map.of();
        FdsNode settingsNode = section.get("settings").orElse(null);
        if (settingsNode instanceof FdsNode.Section settingsSection) {
            settings = settingsSection.entries();
        } else if (settingsNode != null) {
            throw new FdsParseException(settingsNode.line(), "'settings' of backend " + id
                    + " must be a section of 'name: value' lines indented below it");
        }
        return new SwarmBackend(id, type, title, enabled, settings, section.line());
    }

    private static int id(String key, int line) throws FdsParseException {
        if (!key.matches("[0-9]{1,10}")) {
            throw new FdsParseException(line, "the top-level key '" + shorten(key) + "' is not a backend id: a"
                    + " backends file has one section per backend, keyed by its id (0, 1, 2 ...)");
        }
        long id = Long.parseLong(key);
        // The largest id still leaves a next id for the server's counter.
        if (id >= Integer.MAX_VALUE) {
            throw new FdsParseException(line, "the backend id " + key + " is larger than " + (Integer.MAX_VALUE - 1));
        }
        return (int) id;
    }

    private static Optional<String> text(FdsNode.Section section, String key, int id)
            throws FdsParseException {
        FdsNode node = section.get(key).orElse(null);
        if (node == null) {
            return Optional.empty();
        }
        if (node instanceof FdsNode.Scalar scalar) {
            return Optional.of(scalar.text());
        }
        throw new FdsParseException(node.line(), "'" + key + "' of backend " + id + " has no value on its line"
                + " (SwarmUI writes \\x for an empty value)");
    }

    private static boolean enabled(FdsNode.Section section, int id) throws FdsParseException {
        Optional<String> text = text(section, "enabled", id);
        if (text.isEmpty()) {
            return true;
        }
        return switch (text.get().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new FdsParseException(section.get("enabled").orElseThrow().line(), "'enabled' of backend "
                    + id + " must be true or false");
        };
    }

    private static String shorten(String text) {
        return text.length() > 40 ? text.substring(0, 37) + "..." : text;
    }
}
