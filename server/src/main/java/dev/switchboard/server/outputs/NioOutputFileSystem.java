package dev.switchboard.server.outputs;

import dev.switchboard.server.files.DurableFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/** {@link OutputFileSystem} on the default NIO file system. */
final class NioOutputFileSystem implements OutputFileSystem {
    @Override
    public void createDirectories(Path directory) throws IOException {
        Files.createDirectories(directory);
    }

    @Override
    public List<String> list(Path directory) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            entries.forEach(entry -> names.add(entry.getFileName().toString()));
        }
        return names;
    }

    @Override
    public void write(Path file, byte[] content) throws IOException {
        DurableFiles.writeNew(file, content);
    }

    @Override
    public void force(Path file) throws IOException {
        DurableFiles.force(file);
    }

    @Override
    public void publish(Path source, Path target) throws IOException {
        // A hard link is created only where no file of that name exists: an atomic "rename, never replace".
        try {
            Files.createLink(target, source);
            return;
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (UnsupportedOperationException | FileSystemException e) {
            // No hard links here (some network and FAT file systems): rename, which would replace, after a check.
            // The store reserves names, so only another program could create the name in between.
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                throw new FileAlreadyExistsException(target.toString());
            }
        }
        Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void deleteIfExists(Path file) throws IOException {
        Files.deleteIfExists(file);
    }

    @Override
    public void forceDirectory(Path directory) throws IOException {
        DurableFiles.forceDirectory(directory);
    }
}
