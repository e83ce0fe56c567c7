package dev.switchboard.benchmarks.load;

import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.EnumSet;

/**
 * The machine's fsync-bound limit for durable saves: {@code FsyncLimit <directory> <bytes> <seconds>} repeats
 * what one save of the store costs on disk (write a temp file, fsync it, rename it over the file, fsync the
 * directory) in one thread and prints {@code saves_per_second <n>}. Without group commit, durable mutations
 * per second cannot exceed this; with it, several mutations share one save.
 */
public final class FsyncLimit {
    private FsyncLimit() {
    }

    public static void main(String[] args) throws IOException {
        Path directory = Path.of(args[0]);
        byte[] content = new byte[Integer.parseInt(args[1])];
        long seconds = Long.parseLong(args[2]);
        Files.createDirectories(directory);
        Path target = directory.resolve("fsync-probe.json");
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        long saves = 0;
        while (System.nanoTime() < end) {
            Path temp = directory.resolve("fsync-probe.json.tmp");
            try (FileChannel channel = FileChannel.open(temp, EnumSet.of(CREATE_NEW, WRITE))) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel dir = FileChannel.open(directory, READ)) {
                dir.force(true);
            }
            saves++;
        }
        Files.deleteIfExists(target);
        System.out.printf("saves_per_second %.1f%n", saves / ((System.nanoTime() - start) / 1e9));
    }
}
