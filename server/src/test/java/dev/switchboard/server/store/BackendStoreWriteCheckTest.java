package dev.switchboard.server.store;

import static dev.switchboard.server.store.SampleStates.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a save does when the disk gives back other bytes than were written, or when writing dies with an error
 * rather than an {@link IOException}: the file keeps its previous version, the store its state, and no
 * temporary file stays behind.
 */
final class BackendStoreWriteCheckTest {
    @TempDir
    Path data;

    @Test
    void aTemporaryFileThatReadsBackDifferentBytesIsNeverPutInPlace() throws Exception {
        BadDisk disk = new BadDisk();
        try (BackendStore store = BackendStore.open(data, disk, Clock.systemUTC())) {
            store.save(version(1));
            disk.corruptReads = true;

            assertThatThrownBy(() -> store.save(version(2))).isInstanceOf(StoreException.class)
                    .hasMessageContaining("reads back different bytes")
                    .hasMessageEndingWith("The file still holds its previous version.");
            assertThat(store.state()).isEqualTo(version(1));
        }
        assertThat(leftoverTempFiles()).isEmpty();
        try (BackendStore reopened = BackendStore.open(data)) {
            assertThat(reopened.state()).isEqualTo(version(1));
        }
    }

    @Test
    void aWriteThatDiesWithAnErrorLeavesNoTemporaryFile() throws Exception {
        BadDisk disk = new BadDisk();
        try (BackendStore store = BackendStore.open(data, disk, Clock.systemUTC())) {
            store.save(version(1));
            disk.failWritesWithError = true;

            assertThatThrownBy(() -> store.save(version(2))).isInstanceOf(StoreException.class)
                    .hasMessageContaining("injected: out of memory while writing");
            assertThat(store.state()).isEqualTo(version(1));
            assertThat(leftoverTempFiles()).as("the half-written temporary file is deleted at once").isEmpty();

            disk.failWritesWithError = false;
            store.save(version(3));
            assertThat(store.state()).isEqualTo(version(3));
        }
    }

    private List<Path> leftoverTempFiles() throws IOException {
        try (Stream<Path> entries = Files.list(data)) {
            return entries.filter(path -> path.getFileName().toString().contains(DurableFileWriter.TEMP_INFIX))
                    .toList();
        }
    }

    /** A real file system whose reads of temporary files can come back changed, and whose writes can die. */
    private static final class BadDisk implements StoreFileSystem {
        private final StoreFileSystem real = new NioStoreFileSystem();
        volatile boolean corruptReads;
        volatile boolean failWritesWithError;

        @Override
        public boolean exists(Path path) {
            return real.exists(path);
        }

        @Override
        public void createDirectories(Path directory) throws IOException {
            real.createDirectories(directory);
        }

        @Override
        public List<Path> list(Path directory) throws IOException {
            return real.list(directory);
        }

        @Override
        public byte[] read(Path file) throws IOException {
            byte[] bytes = real.read(file);
            if (corruptReads && file.getFileName().toString().contains(DurableFileWriter.TEMP_INFIX)
                    && bytes.length > 0) {
                bytes = Arrays.copyOf(bytes, bytes.length);
                bytes[bytes.length / 2] ^= 0x20;
            }
            return bytes;
        }

        @Override
        public void write(Path file, byte[] content) throws IOException {
            if (failWritesWithError) {
                real.write(file, Arrays.copyOf(content, content.length / 2));
                throw new OutOfMemoryError("injected: out of memory while writing " + file.getFileName());
            }
            real.write(file, content);
        }

        @Override
        public void force(Path file) throws IOException {
            real.force(file);
        }

        @Override
        public void replaceAtomically(Path source, Path target) throws IOException {
            real.replaceAtomically(source, target);
        }

        @Override
        public void linkOrCopy(Path existing, Path link) throws IOException {
            real.linkOrCopy(existing, link);
        }

        @Override
        public void delete(Path file) throws IOException {
            real.delete(file);
        }

        @Override
        public void forceDirectory(Path directory) throws IOException {
            real.forceDirectory(directory);
        }
    }
}
