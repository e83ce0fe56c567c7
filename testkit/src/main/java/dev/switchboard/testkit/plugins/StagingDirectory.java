package dev.switchboard.testkit.plugins;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** A temporary directory that exists only while some work assembles an archive in it. */
final class StagingDirectory {
    private StagingDirectory() {
    }

    /** Runs {@code work} in a fresh temporary directory, then deletes the directory whatever happened. */
    static void use(Work work) {
        Path staging;
        try {
            staging = Files.createTempDirectory("switchboard-plugin-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            work.run(staging);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteTree(staging);
        }
    }

    private static void deleteTree(Path root) {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(root)) {
            paths = walk.sorted(Comparator.reverseOrder()).collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path path : paths) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Work that fills the staging directory. */
    @FunctionalInterface
    interface Work {
        void run(Path staging) throws IOException;
    }
}
