package dev.switchboard.testkit.plugins;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Packs a directory tree into a jar or a zip, entries in sorted order so archives are reproducible. */
final class Archives {
    private Archives() {
    }

    /** Writes every file under {@code contentRoot} into a jar at {@code target}, with a minimal manifest. */
    static void jar(Path contentRoot, Path target) {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (OutputStream out = Files.newOutputStream(target);
                JarOutputStream jar = new JarOutputStream(out, manifest)) {
            // JarOutputStream already wrote these two entries.
            writeTree(contentRoot, jar, Set.of("META-INF/", "META-INF/MANIFEST.MF"));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + target, e);
        }
    }

    /** Writes every file and directory under {@code contentRoot} into a zip at {@code target}. */
    static void zip(Path contentRoot, Path target) {
        try (OutputStream out = Files.newOutputStream(target); ZipOutputStream zip = new ZipOutputStream(out)) {
            writeTree(contentRoot, zip, Set.of());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + target, e);
        }
    }

    private static void writeTree(Path contentRoot, ZipOutputStream archive, Set<String> alreadyWritten)
            throws IOException {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(contentRoot)) {
            paths = walk.filter(path -> !path.equals(contentRoot)).sorted().collect(Collectors.toList());
        }
        for (Path path : paths) {
            String name = contentRoot.relativize(path).toString().replace('\\', '/');
            boolean directory = Files.isDirectory(path);
            String entryName = directory ? name + "/" : name;
            if (alreadyWritten.contains(entryName)) {
                continue;
            }
            archive.putNextEntry(new ZipEntry(entryName));
            if (!directory) {
                Files.copy(path, archive);
            }
            archive.closeEntry();
        }
    }
}
