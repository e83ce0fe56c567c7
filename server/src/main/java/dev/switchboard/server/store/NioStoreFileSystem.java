package dev.switchboard.server.store;

import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link StoreFileSystem} on the default NIO file system. */
final class NioStoreFileSystem implements StoreFileSystem {
    private static final Logger LOG = LoggerFactory.getLogger(NioStoreFileSystem.class);

    private final boolean directoriesCanBeOpened;

    NioStoreFileSystem() {
        // Windows refuses to open a directory as a file channel; there the rename alone is what we get.
        this.directoriesCanBeOpened =
                !System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    }

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
        try (FileChannel channel = FileChannel.open(file, EnumSet.of(CREATE_NEW, WRITE), ownerOnly(file))) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }
    }

    @Override
    public void force(Path file) throws IOException {
        // Windows flushes only through a handle opened for writing; opening with WRITE changes nothing.
        try (FileChannel channel = FileChannel.open(file, WRITE)) {
            channel.force(true);
        }
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
        try (FileChannel channel = FileChannel.open(directory, READ)) {
            channel.force(true);
        } catch (IOException e) {
            if (directoriesCanBeOpened) {
                throw e;
            }
        }
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
