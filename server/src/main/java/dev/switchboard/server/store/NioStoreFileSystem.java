package dev.switchboard.server.store;

import dev.switchboard.server.files.DurableFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link StoreFileSystem} on the default NIO file system. */
final class NioStoreFileSystem implements StoreFileSystem {
    private static final Logger LOG = LoggerFactory.getLogger(NioStoreFileSystem.class);


    @Override
    public boolean exists(Path path) {
        return Files.exists(path);
    }

    @Override
    public void createDirectories(Path directory) throws IOException {
        Files.createDirectories(directory);
    }

    @Override
    public List<Path> list(Path directory) throws IOException {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
            stream.forEach(entries::add);
        }
        return entries;
    }

    @Override
    public byte[] read(Path file) throws IOException {
        return Files.readAllBytes(file);
    }

    @Override
    public void write(Path file, byte[] content) throws IOException {
        DurableFiles.writeNew(file, content, ownerOnly(file));
    }

    @Override
    public void force(Path file) throws IOException {
        DurableFiles.force(file);
    }

    @Override
    public void replaceAtomically(Path source, Path target) throws IOException {
        Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void linkOrCopy(Path existing, Path link) throws IOException {
        try {
            Files.createLink(link, existing);
            return;
        } catch (UnsupportedOperationException | IOException e) {
            LOG.debug("Could not hard-link {} as {} ({}); copying it instead", existing, link, e.toString());
        }
        Files.deleteIfExists(link);
        write(link, read(existing));
        force(link);
    }

    @Override
    public void delete(Path file) throws IOException {
        Files.deleteIfExists(file);
    }

    @Override
    public void forceDirectory(Path directory) throws IOException {
        DurableFiles.forceDirectory(directory);
    }

    /** Settings can hold secrets, so every file the store creates is readable by its owner only. */
    static FileAttribute<?>[] ownerOnly(Path file) {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[] {
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))};
        }
        return new FileAttribute<?>[0];
    }
}
