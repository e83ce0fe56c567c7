package dev.switchboard.server.store;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces a document's file (the backends file, the users file) so that, whatever step fails or wherever the
 * machine stops, the file holds either the complete old version or the complete new one, and once
 * {@link #replace} returns the new one survives a power loss. Not thread-safe: its owner serializes saves.
 */
final class DurableFileWriter<T> {
    static final String TEMP_INFIX = ".tmp-";

    private static final Logger LOG = LoggerFactory.getLogger(DurableFileWriter.class);

    private final Path file;
    private final StoreFileSystem fileSystem;
    private final FileCodec<T> codec;
    private final BackupFiles<T> backups;

    DurableFileWriter(Path file, StoreFileSystem fileSystem, FileCodec<T> codec, BackupFiles<T> backups) {
        this.file = requireNonNull(file, "file is null");
        this.fileSystem = requireNonNull(fileSystem, "fileSystem is null");
        this.codec = requireNonNull(codec, "codec is null");
        this.backups = requireNonNull(backups, "backups is null");
    }

    /**
     * Durably replaces the file with {@code state}. Once the new version is renamed into place it is the
     * file's content, and this returns normally even when the final sync of the directory fails: the change is
     * then in effect (a restart reads it), only its survival of a power loss is uncertain, which is logged as an
     * error. Reporting it as failed would make the caller believe the old version is still there.
     *
     * @return how long forcing the new file and the directory to disk took, in nanoseconds
     * @throws StoreException when a step before the rename failed; the file then still holds its previous
     *     version, and no temporary file is left behind whatever went wrong (errors included)
     */
    long replace(T state) throws StoreException {
        byte[] content = codec.encode(state);
        Path temp = file.resolveSibling(file.getFileName() + TEMP_INFIX
                + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        boolean renamed = false;
        long fsyncNanos;
        try {
            fileSystem.write(temp, content);
            long forceStart = System.nanoTime();
            fileSystem.force(temp);
            fsyncNanos = System.nanoTime() - forceStart;
            verify(temp, content, state);
            if (fileSystem.exists(file)) {
                backups.rotate();
            }
            renamed = rename(temp, file, content);
        } catch (IOException | StoreException e) {
            throw new StoreException("Could not save the " + codec.what() + " to " + file + ": " + e.getMessage()
                    + ". The file still holds its previous version.", e);
        } finally {
            if (!renamed) {
                deleteQuietly(temp);
            }
        }
        long directoryStart = System.nanoTime();
        try {
            // Without this the rename itself may be lost in a power cut, bringing back the old version.
            fileSystem.forceDirectory(file.getParent());
        } catch (IOException e) {
            LOG.error("The {} were written to {}, but its directory could not be forced to disk ({}): the"
                    + " change is in effect, but a power loss before the system writes the directory could bring"
                    + " back the previous version", codec.what(), file, e.toString());
        }
        return fsyncNanos + (System.nanoTime() - directoryStart);
    }

    /**
     * Deletes temporary files a crashed save left behind. Only safe while holding the directory lock: they
     * could otherwise belong to a save in progress in another server.
     */
    void deleteLeftovers() throws IOException {
        String prefix = file.getFileName() + TEMP_INFIX;
        for (Path entry : fileSystem.list(file.getParent())) {
            if (entry.getFileName().toString().startsWith(prefix)) {
                LOG.info("Deleting {}, left behind by a save that did not finish", entry);
                fileSystem.delete(entry);
            }
        }
    }

    /**
     * Renames the temp file over the file. A rename that reports failure may still have happened (a file system
     * that acts, then errs): when the temp file is gone and the file reads back as the new version, it counts
     * as done, so the caller's answer and state agree with what the file holds.
     *
     * @return true (a failure the file does not contradict throws the rename's exception)
     */
    private boolean rename(Path temp, Path target, byte[] content) throws IOException {
        try {
            fileSystem.replaceAtomically(temp, target);
            return true;
        } catch (IOException e) {
            try {
                if (!fileSystem.exists(temp) && Arrays.equals(fileSystem.read(target), content)) {
                    LOG.warn("Renaming {} over {} reported a failure ({}), but the file holds the new version",
                            temp.getFileName(), target, e.toString());
                    return true;
                }
            } catch (IOException | RuntimeException check) {
                e.addSuppressed(check);
            }
            throw e;
        }
    }

    /** Reads the temp file back, so a file we could not read later is never put in place. */
    private void verify(Path temp, byte[] content, T state) throws IOException, StoreException {
        byte[] written = fileSystem.read(temp);
        if (!Arrays.equals(written, content)) {
            throw new StoreException("the temporary file " + temp.getFileName() + " reads back different bytes");
        }
        T reread;
        try {
            reread = codec.decode(written);
        } catch (StoreFormatException e) {
            throw new StoreException("the temporary file " + temp.getFileName() + " does not read back: "
                    + e.getMessage());
        }
        if (!reread.equals(state)) {
            throw new StoreException("the temporary file " + temp.getFileName()
                    + " reads back as a different state");
        }
    }

    private void deleteQuietly(Path temp) {
        try {
            fileSystem.delete(temp);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not delete the temporary file {}; it is removed at the next start: {}", temp,
                    e.toString());
        }
    }
}
