package dev.switchboard.server.files;

import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.util.EnumSet;
import java.util.Locale;

/**
 * The steps of a durable write on the default file system, shared by the backend store and the output store:
 * write a new file, flush it to the disk, flush its directory so a rename or link in it survives a power cut.
 */
public final class DurableFiles {
    // Windows refuses to open a directory as a file channel; there the rename alone is what we get.
    private static final boolean DIRECTORIES_CAN_BE_OPENED =
            !System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");

    private DurableFiles() {
    }

    /**
     * Writes {@code content} to a file that must not exist yet (nothing is replaced), without flushing it.
     *
     * @param file the new file
     * @param content every byte of it
     * @param attributes the attributes to create it with, e.g. owner-only permissions
     * @throws java.nio.file.FileAlreadyExistsException if the file exists
     * @throws IOException if it cannot be written
     */
    public static void writeNew(Path file, byte[] content, FileAttribute<?>... attributes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, EnumSet.of(CREATE_NEW, WRITE), attributes)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }
    }

    /**
     * Flushes a file's content and metadata to the disk.
     *
     * @param file an existing file
     * @throws IOException if the flush fails (the content may not be on the disk)
     */
    public static void force(Path file) throws IOException {
        // Windows flushes only through a handle opened for writing; opening with WRITE changes nothing.
        try (FileChannel channel = FileChannel.open(file, WRITE)) {
            channel.force(true);
        }
    }

    /**
     * Flushes a directory, so that names created, renamed or removed in it are on the disk; does nothing where
     * directories cannot be opened (Windows).
     *
     * @param directory an existing directory
     * @throws IOException if the flush fails
     */
    public static void forceDirectory(Path directory) throws IOException {
        if (DIRECTORIES_CAN_BE_OPENED) {
            try (FileChannel channel = FileChannel.open(directory, READ)) {
                channel.force(true);
            }
        }
    }
}
