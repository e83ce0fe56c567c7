package dev.switchboard.server.outputs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists a user's saved images for the page's gallery: newest first, a page at a time, each with its View path,
 * size, time and the parameters embedded in it. Only regular files inside the user's folder are listed (symbolic
 * links are not followed, hidden and temporary files are left out), and a folder to list is cleaned and checked
 * as {@code /View/} paths are.
 */
public final class OutputGallery {
    /** The most entries one page holds. */
    public static final int MAX_LIMIT = 100;
    /** How deep below the listed folder images are looked for ({@code raw/<date>/} is 2). */
    static final int MAX_DEPTH = 16;
    /** Side files longer than this are not read. */
    static final long MAX_SIDE_FILE_BYTES = 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(OutputGallery.class);
    private static final Comparator<Found> NEWEST_FIRST = Comparator.comparing(Found::modified)
            .thenComparing(Found::relative).reversed();

    private final Path root;

    /** @param outputsRoot the outputs folder ({@link OutputStore#root()}) */
    public OutputGallery(Path outputsRoot) {
        this.root = requireNonNull(outputsRoot, "outputsRoot is null").toAbsolutePath().normalize();
    }

    /**
     * Lists a page of a user's images, newest first (by the time they were written, then by path, later names
     * first).
     *
     * @param user the user id
     * @param folder a folder inside the user's outputs to list, e.g. {@code raw/2024-01-02}, or {@code ""} for all
     * @param offset how many of the newest images to skip, at least 0
     * @param limit how many to return, 1 to {@value #MAX_LIMIT}
     * @return the page; empty when the user or the folder has no outputs yet
     * @throws OutputPathException when the folder is absolute or leads out of the user's folder
     * @throws IllegalArgumentException when offset or limit is out of bounds or the user id is unusable
     * @throws IOException when the folder cannot be read
     */
    public OutputPage list(String user, String folder, int offset, int limit) throws OutputPathException,
            IOException {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative: " + offset);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ": " + limit);
        }
        requireNonNull(folder, "folder is null");
        String owner = OutputNames.user(user);
        Path userFolder = root.resolve(owner);
        Path start = userFolder;
        if (!folder.isEmpty()) {
            start = OutputPaths.resolve(userFolder, OutputPaths.clean(folder));
            if (OutputPaths.isHidden(userFolder.relativize(start))) {
                return new OutputPage(List.of(), offset, limit, 0);
            }
        }
        if (!Files.isDirectory(userFolder) || !Files.isDirectory(start)) {
            return new OutputPage(List.of(), offset, limit, 0);
        }
        Path realUserFolder = userFolder.toRealPath();
        Path realStart = start.toRealPath();
        if (!realStart.startsWith(realUserFolder)) {
            throw new OutputPathException("a symbolic link that leads out of the user's folder");
        }
        List<Found> found = find(realUserFolder, realStart);
        found.sort(NEWEST_FIRST);
        List<OutputEntry> entries = new ArrayList<>();
        int from = Math.min(offset, found.size());
        int to = (int) Math.min((long) offset + limit, found.size());
        for (Found image : found.subList(from, to)) {
            Path file = realUserFolder.resolve(image.relative());
            entries.add(new OutputEntry("View/" + owner + "/" + image.relative(), image.size(), image.modified(),
                    metadata(file)));
        }
        return new OutputPage(entries, offset, limit, found.size());
    }

    private static List<Found> find(Path userFolder, Path start) throws IOException {
        List<Found> found = new ArrayList<>();
        Files.walkFileTree(start, EnumSet.noneOf(FileVisitOption.class), MAX_DEPTH,
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                        return !dir.equals(start) && hidden(dir) ? FileVisitResult.SKIP_SUBTREE
                                : FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                        String name = file.getFileName().toString();
                        if (attributes.isRegularFile() && !hidden(file) && MediaTypes.isGalleryImage(name)) {
                            String relative = userFolder.relativize(file).toString().replace('\\', '/');
                            found.add(new Found(relative, attributes.size(),
                                    attributes.lastModifiedTime().toInstant()));
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) {
                        LOG.debug("Skipping {} in the gallery: {}", file, e.toString());
                        return FileVisitResult.CONTINUE;
                    }
                });
        return found;
    }

    /** The embedded metadata: a PNG's {@code parameters} text, else the {@code .swarm.json} side file. */
    private static Optional<JsonObject> metadata(Path file) {
        String name = file.getFileName().toString();
        try {
            if (MediaTypes.extensionOf(name).equals("png")) {
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                    String text = PngText.read(channel).get(OutputMetadata.PNG_KEYWORD);
                    return text == null ? Optional.empty() : OutputMetadata.parse(text);
                }
            }
            Path side = file.resolveSibling(name.substring(0, name.lastIndexOf('.')) + ".swarm.json");
            if (Files.isRegularFile(side, LinkOption.NOFOLLOW_LINKS) && Files.size(side) <= MAX_SIDE_FILE_BYTES) {
                return OutputMetadata.parse(Files.readString(side, UTF_8));
            }
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            LOG.debug("No metadata read from {}: {}", file, e.toString());
        }
        return Optional.empty();
    }

    private static boolean hidden(Path path) {
        return path.getFileName() != null && path.getFileName().toString().startsWith(".");
    }

    /** An image found by the walk: its path relative to the user's folder, with {@code /}. */
    private record Found(String relative, long size, Instant modified) {
    }
}
