package dev.switchboard.server.outputs;

import static dev.switchboard.server.outputs.OutputStoreTest.REQUEST_TIME;
import static dev.switchboard.server.outputs.OutputStoreTest.description;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.server.outputs.FaultyOutputFileSystem.Step;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Hostile names stay inside the user's folder, and a save that fails leaves nothing behind. */
final class OutputStoreSafetyTest {
    private static final String FOLDER = "outputs/local/raw/2024-01-02";

    @TempDir
    Path data;

    private final MutableClock clock = new MutableClock(REQUEST_TIME, ZoneOffset.UTC);

    private Path outputs() {
        return data.resolve("outputs").toAbsolutePath();
    }

    private SavedOutput save(String user, String prompt, String model) throws OutputSaveException {
        OutputStore store = new OutputStore(outputs(), clock);
        return store.save(user, TestImages.png(4, 4), "image/png", description(store.stampRequest(), prompt, model, 1));
    }

    static Stream<Arguments> hostilePrompts() {
        return Stream.of(
                Arguments.of("../../../etc/passwd", "m", "0304001-etcpasswd-m"),
                Arguments.of("..\\..\\windows\\system32", "m", "0304001-windowssystem32-m"),
                Arguments.of("/absolute/path", "m", "0304001-absolutepath-m"),
                Arguments.of("nul\u0000byte\r\nnew line\tand tab", "m", "0304001-nulbytenew lineand tab-m"),
                Arguments.of("<a>:\"b\"|c?*~d&e@f;g#h$i^j%k", "m", "0304001-abcdefghijk-m"),
                Arguments.of("hidden\u200b\u202eright-to-left\ufeff", "m", "0304001-hiddenright-to-left-m"),
                Arguments.of("a".repeat(500), "m", "0304001-" + "a".repeat(40) + "-m"),
                Arguments.of("  spaced  ", "m", "0304001-spaced-m"),
                Arguments.of("日本語の猫", "m", "0304001-日本語の猫-m"),
                Arguments.of("cat", "../../escape/..\\model.safetensors", "0304001-cat-escapemodel"),
                Arguments.of("cat", "C:\\models\\sd\\v1-5.ckpt", "0304001-cat-Cmodelssdv1-5"),
                Arguments.of("cat", "", "0304001-cat-unknown"),
                Arguments.of("...", "..", "0304001--"));
    }

    @ParameterizedTest
    @MethodSource("hostilePrompts")
    void hostilePromptsAndModelNamesAreCleanedIntoOneFileInTheDateFolder(String prompt, String model, String name)
            throws Exception {
        SavedOutput saved = save("local", prompt, model);
        assertThat(saved.viewPath()).isEqualTo("View/local/raw/2024-01-02/" + name + ".png");
        assertThat(saved.file()).isEqualTo(outputs().resolve("local/raw/2024-01-02/" + name + ".png"));
        assertThat(Files.isRegularFile(saved.file())).isTrue();
    }

    @Test
    void fortyEmojiAndALongModelNameStayWithinTheFileNameLimit() throws Exception {
        SavedOutput saved = save("local", "🐱".repeat(100), "🐶".repeat(100) + ".safetensors");
        String name = saved.file().getFileName().toString();
        assertThat(name.getBytes(UTF_8).length)
                .isLessThanOrEqualTo(OutputNames.MAX_SEGMENT_BYTES + ".png".length());
        assertThat(name).startsWith("0304001-" + "🐱".repeat(40) + "-🐶").endsWith(".png");
        assertThat(Files.isRegularFile(saved.file())).isTrue();
        // The side file name of another format fits too.
        OutputStore store = new OutputStore(outputs(), clock);
        SavedOutput jpeg = store.save("local", TestImages.jpeg(4, 4), "image/jpeg",
                description(store.stampRequest(), "🐱".repeat(100), "🐶".repeat(100), 1));
        assertThat(Files.list(jpeg.file().getParent()).filter(p -> p.toString().endsWith(".swarm.json"))).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"../evil", "..\\evil", "/evil", "e/v/i/l", "e.v.i.l", "\u0000evil", " evil "})
    void hostileUserIdsBecomeAFolderDirectlyInsideOutputs(String user) throws Exception {
        SavedOutput saved = save(user, "cat", "m");
        assertThat(saved.viewPath()).isEqualTo("View/evil/raw/2024-01-02/0304001-cat-m.png");
        assertThat(saved.file().getParent().getParent().getParent()).isEqualTo(outputs().resolve("evil"));
    }

    @Test
    void reservedDeviceNamesGetAnUnderscore() throws Exception {
        assertThat(save("nul", "cat", "m").viewPath()).startsWith("View/nul_/");
        assertThat(save("COM1", "cat", "m").viewPath()).startsWith("View/COM1_/");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "..", "/", "\\..\\", ".", "\u0000", "\u202e", "   "})
    void userIdsWithNothingUsableAreRefusedAndNothingIsWritten(String user) {
        assertThatThrownBy(() -> save(user, "cat", "m")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("The user id has no character that can name a folder");
        assertThat(files()).isEmpty();
    }

    @Test
    void aTooLongUserIdIsRefusedRatherThanCut() {
        assertThatThrownBy(() -> save("u".repeat(65), "cat", "m")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("The user id is longer than 64 characters");
        assertThat(OutputNames.user("u".repeat(64))).hasSize(64);
    }

    @Test
    void cleaningAUserFolderNameAgainChangesNothing() {
        for (String user : List.of("local", "con", "a.b", " x ", "日本", "x\u200by")) {
            String folder = OutputNames.user(user);
            assertThat(OutputNames.user(folder)).isEqualTo(folder);
            assertThat(OutputNames.isUserFolder(folder)).isTrue();
        }
        assertThat(OutputNames.isUserFolder("a.b")).isFalse();
        assertThat(OutputNames.isUserFolder("..")).isFalse();
    }

    static Stream<Arguments> faults() {
        IOException full = new IOException("No space left on device");
        return Stream.of(
                Arguments.of("image/png", Step.CREATE_DIRECTORIES, 1, full),
                Arguments.of("image/png", Step.LIST, 1, full),
                Arguments.of("image/png", Step.WRITE, 1, full),
                Arguments.of("image/png", Step.FORCE, 1, full),
                Arguments.of("image/png", Step.PUBLISH, 1, full),
                Arguments.of("image/jpeg", Step.WRITE, 1, full),
                Arguments.of("image/jpeg", Step.WRITE, 2, full),
                Arguments.of("image/jpeg", Step.FORCE, 2, full),
                Arguments.of("image/jpeg", Step.PUBLISH, 1, full),
                Arguments.of("image/jpeg", Step.PUBLISH, 2, full));
    }

    @ParameterizedTest(name = "{0}: {1} #{2}")
    @MethodSource("faults")
    void aFailingStepFailsTheSaveWithItsReasonAndLeavesNoFile(String mediaType, Step step, int occurrence,
            IOException fault) throws Exception {
        OutputStore store = new OutputStore(outputs(), clock, new FaultyOutputFileSystem(step, occurrence, fault));
        byte[] image = mediaType.equals("image/png") ? TestImages.png(32, 32) : TestImages.jpeg(32, 32);
        assertThatThrownBy(() -> store.save("local", image, mediaType,
                description(store.stampRequest(), "cat", "m", 1)))
                .isInstanceOf(OutputSaveException.class)
                .hasMessage("Could not write to " + FOLDER + ": No space left on device.")
                .satisfies(e -> assertThat(((OutputSaveException) e).userMessage()).isEqualTo(
                        "Server failed to save an image. Could not write to " + FOLDER + ": No space left on device."));
        assertThat(files()).isEmpty();

        // The store is still usable, and the next save takes the first name.
        OutputStore healthy = new OutputStore(outputs(), clock);
        assertThat(healthy.save("local", image, mediaType, description(healthy.stampRequest(), "cat", "m", 1))
                .viewPath()).startsWith("View/local/raw/2024-01-02/0304001-cat-m.");
    }

    @Test
    void anErrorInTheMiddleOfAWriteLeavesNoFileEither() {
        OutputStore store = new OutputStore(outputs(), clock,
                new FaultyOutputFileSystem(Step.WRITE, 1, new OutOfMemoryError("simulated")));
        assertThatThrownBy(() -> store.save("local", TestImages.png(8, 8), "image/png",
                description(store.stampRequest(), "cat", "m", 1))).isInstanceOf(OutOfMemoryError.class);
        assertThat(files()).isEmpty();
    }

    @Test
    void aFolderThatCannotBeForcedAfterThePublishStillCountsAsSaved() throws Exception {
        OutputStore store = new OutputStore(outputs(), clock,
                new FaultyOutputFileSystem(Step.FORCE_DIRECTORY, 1, new IOException("Input/output error")));
        SavedOutput saved = store.save("local", TestImages.png(8, 8), "image/png",
                description(store.stampRequest(), "cat", "m", 1));
        assertThat(files()).containsExactly(saved.file());
    }

    @Test
    void aFileWhereAFolderMustGoFailsTheSaveAndIsLeftAlone() throws Exception {
        Files.createDirectories(outputs().resolve("local"));
        Files.writeString(outputs().resolve("local/raw"), "not a folder");
        assertThatThrownBy(() -> save("local", "cat", "m")).isInstanceOf(OutputSaveException.class)
                .hasMessage("Could not write to " + FOLDER + ": Not a directory.");
        assertThat(files()).containsExactly(outputs().resolve("local/raw"));
        assertThat(Files.readString(outputs().resolve("local/raw"))).isEqualTo("not a folder");
    }

    @Test
    void aReadOnlyFolderFailsTheSaveWithPermissionDeniedAndLeavesNoFile() throws Exception {
        Path folder = Files.createDirectories(outputs().resolve("local/raw/2024-01-02"));
        Assumptions.assumeTrue(folder.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            Assumptions.assumeFalse(writable(folder), "this user (root?) can write into a read-only folder");
            assertThatThrownBy(() -> save("local", "cat", "m")).isInstanceOf(OutputSaveException.class)
                    .hasMessage("Could not write to " + FOLDER + ": permission denied.");
            assertThat(files()).isEmpty();
        } finally {
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    private static boolean writable(Path folder) {
        try {
            Files.delete(Files.createFile(folder.resolve("probe")));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private List<Path> files() {
        if (!Files.exists(outputs())) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(outputs())) {
            return walk.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
