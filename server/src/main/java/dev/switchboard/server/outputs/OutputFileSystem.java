package dev.switchboard.server.outputs;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.List;

/** The file operations outputs are written with; tests put faults (a full disk) between the store and the disk. */
interface OutputFileSystem {

    void createDirectories(Path directory) throws IOException;

    /** @return the names of the entries of a directory */
    List<String> list(Path directory) throws IOException;

    /** Creates a new file with the content; fails when it exists. */
    void write(Path file, byte[] content) throws IOException;

    /** Forces a file's content to the storage device. */
    void force(Path file) throws IOException;

    /**
     * Makes the complete file {@code source} appear as {@code target} in one step, never replacing a file.
     *
     * @throws FileAlreadyExistsException when {@code target} exists
     */
    void publish(Path source, Path target) throws IOException;

    void deleteIfExists(Path file) throws IOException;

    /** Forces a directory's entries to the storage device, where the system can. */
    void forceDirectory(Path directory) throws IOException;
}
