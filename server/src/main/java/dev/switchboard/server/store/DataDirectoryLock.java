package dev.switchboard.server.store;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a data directory single-writer: an exclusive lock on {@code <dir>/switchboard.lock}, which also
 * holds the owner's pid so a refused server can say who is in the way. Held until {@link #close()}.
 */
public final class DataDirectoryLock implements AutoCloseable {
    static final String FILE_NAME = "switchboard.lock";

    private static final Logger LOG = LoggerFactory.getLogger(DataDirectoryLock.class);
    private static final int MAX_PID_BYTES = 64;

    /*
     * Static on purpose: file locks belong to the whole process, and on Linux closing ANY descriptor of
     * the lock file (even one opened only to try the lock, or to read the pid) silently drops the lock held
     * through another descriptor. So a second store in this JVM must be refused before it opens the file,
     * which needs process-wide knowledge of the directories already locked here.
     */
    private static final Set<Path> LOCKED_BY_THIS_PROCESS = ConcurrentHashMap.newKeySet();

    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;
    private boolean released;

    private DataDirectoryLock(Path key, FileChannel channel, FileLock lock) {
        this.key = key;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of an existing directory.
     *
     * @throws DataDirectoryLockedException when another process, or another store of this process, holds it
     * @throws StoreException when the lock file cannot be opened or written
     */
    public static DataDirectoryLock acquire(Path directory) throws StoreException {
        Path key;
        try {
            key = directory.toRealPath();
        } catch (IOException e) {
            throw new StoreException("Could not resolve the data directory " + directory.toAbsolutePath()
                    + ": " + e.getMessage(), e);
        }
        if (!LOCKED_BY_THIS_PROCESS.add(key)) {
            throw lockedException(directory, OptionalLong.of(ProcessHandle.current().pid()));
        }
        try {
            return lockFile(directory, key);
        } catch (StoreException | RuntimeException e) {
            LOCKED_BY_THIS_PROCESS.remove(key);
            throw e;
        }
    }

    private static DataDirectoryLock lockFile(Path directory, Path key) throws StoreException {
        Path file = directory.resolve(FILE_NAME);
        FileChannel channel;
        try {
            channel = FileChannel.open(file, EnumSet.of(CREATE, READ, WRITE), NioStoreFileSystem.ownerOnly(file));
        } catch (IOException e) {
            throw new StoreException("Could not open the lock file " + file.toAbsolutePath() + ": " + e, e);
        }
        try {
            FileLock lock = tryLock(channel);
            if (lock == null) {
                throw lockedException(directory, readPid(channel));
            }
            writePid(channel);
            return new DataDirectoryLock(key, channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new StoreException("Could not lock the data directory " + directory.toAbsolutePath() + ": " + e,
                    e);
        } catch (StoreException | RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            // Only reachable when this JVM locked the same directory under a path toRealPath() cannot
            // unify (e.g. a bind mount); the caller's close of this channel then cannot be avoided.
            return null;
        }
    }

    private static OptionalLong readPid(FileChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(MAX_PID_BYTES);
            channel.read(buffer, 0);
            String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).trim();
            return text.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(text));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static void writePid(FileChannel channel) throws IOException {
        channel.truncate(0);
        ByteBuffer pid = ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII));
        long position = 0;
        while (pid.hasRemaining()) {
            position += channel.write(pid, position);
        }
        channel.force(false);
    }

    private static DataDirectoryLockedException lockedException(Path directory, OptionalLong pid) {
        String owner = pid.isPresent() ? " (pid " + pid.getAsLong() + ")" : "";
        return new DataDirectoryLockedException("Data directory " + directory.toAbsolutePath().normalize()
                + " is already in use by another Switchboard server" + owner
                + ". Stop it, or start this one with a different --data-dir.");
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("Could not close the lock file channel", e);
        }
    }

    /** Releases the lock; the lock file stays (deleting it would let two servers lock two different files). */
    @Override
    public synchronized void close() {
        if (released) {
            return;
        }
        released = true;
        try {
            // Emptied first so a stale pid does not name a process that no longer holds the lock.
            channel.truncate(0);
            lock.release();
        } catch (IOException e) {
            LOG.warn("Could not release the lock of data directory {} cleanly: {}", key, e.toString());
        } finally {
            closeQuietly(channel);
            LOCKED_BY_THIS_PROCESS.remove(key);
        }
    }
}
