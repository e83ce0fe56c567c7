package dev.switchboard.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Coverage-guided fuzzing of the backends file parser (R8, R3). {@code mvn verify} replays the seed and
 * regression inputs under {@code src/test/resources/.../BackendsFileFuzzTestInputs/<method>/}; with
 * {@code JAZZER_FUZZ=1} each test fuzzes (see the server's {@code FUZZING.md}).
 */
final class BackendsFileFuzzTest {
    private final BackendsFileCodec codec = new BackendsFileCodec();

    /**
     * Any bytes either decode or fail with {@link StoreFormatException} and a reason; whatever decodes can be
     * written back, and reads back as the same state (so a loaded file never blocks the next save).
     */
    @FuzzTest(maxDuration = "3m")
    void decodingAnyBytesFailsOnlyWithAReason(byte[] bytes) throws StoreException {
        StoredState state;
        try {
            state = codec.decode(bytes);
        } catch (StoreFormatException e) {
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        byte[] written = codec.encode(state);
        try {
            assertThat(codec.decode(written)).isEqualTo(state);
        } catch (StoreFormatException e) {
            throw new AssertionError("a file this server wrote cannot be read back: " + e.getMessage(), e);
        }
    }

    /**
     * Opening a data directory whose {@code backends.json} holds any bytes never changes that file; when it is
     * unreadable every change is refused, so it is never overwritten.
     */
    @FuzzTest(maxDuration = "2m")
    void openingAnyFileNeverChangesIt(byte[] bytes) throws IOException, StoreException {
        Path directory = Files.createTempDirectory("switchboard-fuzz-store");
        try {
            Path file = directory.resolve("backends.json");
            Files.write(file, bytes);
            try (BackendStore store = BackendStore.open(directory)) {
                if (store.problem().isPresent()) {
                    assertThat(store.problem().get()).contains(file.toString());
                    assertThatThrownBy(() -> store.save(StoredState.empty()))
                            .isInstanceOf(StoreUnavailableException.class);
                } else {
                    assertThat(store.state()).isEqualTo(codec.decode(bytes));
                }
            }
            assertThat(Files.readAllBytes(file)).isEqualTo(bytes);
        } catch (StoreFormatException e) {
            throw new AssertionError("the store opened a file its own codec refuses", e);
        } finally {
            deleteRecursively(directory);
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        }
    }
}
