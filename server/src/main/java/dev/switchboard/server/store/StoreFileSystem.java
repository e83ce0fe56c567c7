package dev.switchboard.server.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The file-system actions the store takes, one method per step of the save protocol, so tests (and later
 * reliability work) can make any single step fail and check that the file stays old-or-new.
 */
interface StoreFileSystem {

    boolean exists(Path path);

    /** Creates a directory and its missing parents; does nothing when it exists. */
    void createDirectories(Path directory) throws IOException;

    /** @return the entries of a directory, in no particular order */
    List<Path> list(Path directory) throws IOException;

    byte[] read(Path file) throws IOException;

    /** Creates a file that must not exist yet, readable and writable by the owner only where POSIX. */
    void write(Path file, byte[] content) throws IOException;

    /** Forces a file's content and metadata to the storage device. */
    void force(Path file) throws IOException;

    /** Renames a file atomically, replacing the target; never falls back to a copy. */
    void replaceAtomically(Path source, Path target) throws IOException;

    /** Makes {@code link} a hard link to {@code existing}, or a forced copy where hard links do not work. */
    void linkOrCopy(Path existing, Path link) throws IOException;

    /** Deletes a file if it exists. */
    void delete(Path file) throws IOException;

    /** Forces a directory's entries (creations, renames) to the storage device. */
    void forceDirectory(Path directory) throws IOException;
}
