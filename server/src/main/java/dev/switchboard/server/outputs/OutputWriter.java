package dev.switchboard.server.outputs;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one output so that it is either there complete, under its final name, or not at all: the bytes go to a
 * hidden temporary file in the same folder, are forced to disk, and the file is published under its name without
 * ever replacing another file. An image with a metadata side file is published with it or not at all.
 */
final class OutputWriter {
    /** Temporary files are named {@code .<name>.tmp-<random>}: hidden, never served or listed. */
    static final String TEMP_INFIX = ".tmp-";

    private static final Logger LOG = LoggerFactory.getLogger(OutputWriter.class);

    private final OutputFileSystem fileSystem;

    OutputWriter(OutputFileSystem fileSystem) {
        this.fileSystem = requireNonNull(fileSystem, "fileSystem is null");
    }

    /**
     * Writes {@code content} as {@code folder/name} and, when {@code side} is not null, {@code side} as
     * {@code folder/sideName}. Whatever fails (exceptions and errors alike), nothing of this write is left behind.
     *
     * @throws FileAlreadyExistsException when either name is taken; choose another
     * @throws IOException when writing failed
     */
    void write(Path folder, String name, byte[] content, String sideName, byte[] side) throws IOException {
        Path temp = temporary(folder, name);
        Path sideTemp = side == null ? null : temporary(folder, sideName);
        Path target = folder.resolve(name);
        boolean published = false;
        boolean complete = false;
        try {
            fileSystem.write(temp, content);
            fileSystem.force(temp);
            if (side != null) {
                fileSystem.write(sideTemp, side);
                fileSystem.force(sideTemp);
            }
            fileSystem.publish(temp, target);
            published = true;
            if (side != null) {
                fileSystem.publish(sideTemp, folder.resolve(sideName));
            }
            complete = true;
        } finally {
            if (published && !complete) {
                deleteQuietly(target);
            }
            deleteQuietly(temp);
            if (sideTemp != null) {
                deleteQuietly(sideTemp);
            }
        }
        try {
            fileSystem.forceDirectory(folder);
        } catch (IOException e) {
            // The file is complete and in place; only its surviving a power cut right now is uncertain.
            LOG.warn("Saved {}, but its folder could not be forced to disk: {}", target, e.toString());
        }
    }

    private static Path temporary(Path folder, String name) {
        return folder.resolve("." + name + TEMP_INFIX + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    }

    private void deleteQuietly(Path file) {
        try {
            fileSystem.deleteIfExists(file);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not delete {}: {}", file, e.toString());
        }
    }
}
