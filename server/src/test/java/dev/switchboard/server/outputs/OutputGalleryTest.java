package dev.switchboard.server.outputs;

import static dev.switchboard.server.outputs.OutputStoreTest.REQUEST_TIME;
import static dev.switchboard.server.outputs.OutputStoreTest.description;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The gallery's listing of a user's outputs, on real files. */
final class OutputGalleryTest {
    private static final Instant WRITTEN = Instant.parse("2024-01-02T03:04:05Z");

    @TempDir
    Path data;

    private Path outputs;
    private OutputGallery gallery;
    private final List<SavedOutput> saved = new ArrayList<>();

    /** Five images, each written a minute after the one before: seeds 0 to 4, the JPEG is seed 2. */
    @BeforeEach
    void saveImages() throws Exception {
        outputs = data.resolve("outputs").toAbsolutePath();
        MutableClock clock = new MutableClock(REQUEST_TIME, ZoneOffset.UTC);
        OutputStore store = new OutputStore(outputs, clock);
        for (int seed = 0; seed < 5; seed++) {
            boolean jpeg = seed == 2;
            SavedOutput output = store.save("local", jpeg ? TestImages.jpeg(8, 8) : TestImages.png(8, 8),
                    jpeg ? "image/jpeg" : "image/png", description(store.stampRequest(), "cat", "m", seed));
            Files.setLastModifiedTime(output.file(), FileTime.from(WRITTEN.plus(Duration.ofMinutes(seed))));
            saved.add(output);
            clock.advance(Duration.ofMinutes(1));
        }
        gallery = new OutputGallery(outputs);
    }

    @Test
    void imagesAreListedNewestFirstWithPathSizeTimeAndTheirParameters() throws Exception {
        OutputPage page = gallery.list("local", "", 0, 100);
        assertThat(page.total()).isEqualTo(5);
        assertThat(page.offset()).isZero();
        assertThat(page.limit()).isEqualTo(100);
        assertThat(page.entries()).extracting(OutputEntry::viewPath).containsExactly(
                "View/local/raw/2024-01-02/0308001-cat-m.png", "View/local/raw/2024-01-02/0307001-cat-m.png",
                "View/local/raw/2024-01-02/0306001-cat-m.jpg", "View/local/raw/2024-01-02/0305001-cat-m.png",
                "View/local/raw/2024-01-02/0304001-cat-m.png");
        OutputEntry newest = page.entries().get(0);
        assertThat(newest.size()).isEqualTo(Files.size(saved.get(4).file()));
        assertThat(newest.modified()).isEqualTo(WRITTEN.plus(Duration.ofMinutes(4)));
        assertThat(page.entries()).extracting(entry -> seed(entry.metadata().orElseThrow()))
                .containsExactly(4L, 3L, 2L, 1L, 0L);
        assertThat(newest.metadata().orElseThrow().getAsJsonObject("sui_image_params").get("prompt").getAsString())
                .isEqualTo("cat");
    }

    @Test
    void pagesAreSlicesOfTheWholeOrder() throws Exception {
        OutputPage second = gallery.list("local", "", 2, 2);
        assertThat(second.total()).isEqualTo(5);
        assertThat(second.entries()).extracting(entry -> seed(entry.metadata().orElseThrow()))
                .containsExactly(2L, 1L);
        assertThat(gallery.list("local", "", 4, 2).entries()).hasSize(1);
        OutputPage past = gallery.list("local", "", Integer.MAX_VALUE, OutputGallery.MAX_LIMIT);
        assertThat(past.entries()).isEmpty();
        assertThat(past.total()).isEqualTo(5);
    }

    @Test
    void imagesWrittenInTheSameInstantAreOrderedByNameLaterFirst() throws Exception {
        for (SavedOutput output : saved) {
            Files.setLastModifiedTime(output.file(), FileTime.from(WRITTEN));
        }
        assertThat(gallery.list("local", "", 0, 2).entries()).extracting(OutputEntry::viewPath).containsExactly(
                "View/local/raw/2024-01-02/0308001-cat-m.png", "View/local/raw/2024-01-02/0307001-cat-m.png");
    }

    @Test
    void onlyImagesInsideTheUserFolderAreListed() throws Exception {
        Path folder = saved.get(0).file().getParent();
        Files.write(folder.resolve(".0309001-cat-m.png.tmp-1a2b"), TestImages.png(2, 2));
        Files.write(folder.resolve("notes.txt"), new byte[] {1});
        Files.createDirectories(outputs.resolve("local/.trash"));
        Files.write(outputs.resolve("local/.trash/old.png"), TestImages.png(2, 2));
        Files.createDirectories(data.resolve("elsewhere"));
        Files.write(data.resolve("elsewhere/outside.png"), TestImages.png(2, 2));
        Files.createSymbolicLink(folder.resolve("link.png"), data.resolve("elsewhere/outside.png"));
        Files.createSymbolicLink(outputs.resolve("local/linked"), data.resolve("elsewhere"));
        Files.createDirectories(outputs.resolve("someone"));
        Files.write(outputs.resolve("someone/theirs.png"), TestImages.png(2, 2));

        assertThat(gallery.list("local", "", 0, 100).entries()).extracting(OutputEntry::viewPath).hasSize(5)
                .allSatisfy(path -> assertThat(path)
                        .matches("View/local/raw/2024-01-02/030[4-8]001-cat-m\\.(png|jpg)"));
    }

    @Test
    void anImageWithoutReadableParametersIsListedWithout() throws Exception {
        Path folder = saved.get(0).file().getParent();
        Files.write(folder.resolve("plain.png"), TestImages.png(2, 2));
        Files.write(folder.resolve("broken.png"), new byte[] {1, 2, 3});
        Files.write(folder.resolve("text.png"), PngText.embed(TestImages.png(2, 2), "parameters", "steps: 20"));
        Files.write(folder.resolve("lone.jpg"), TestImages.jpeg(2, 2));
        for (String name : List.of("plain.png", "broken.png", "text.png", "lone.jpg")) {
            Files.setLastModifiedTime(folder.resolve(name), FileTime.from(WRITTEN.plus(Duration.ofHours(1))));
        }
        OutputPage page = gallery.list("local", "", 0, 4);
        assertThat(page.entries()).extracting(OutputEntry::viewPath).containsExactlyInAnyOrder(
                "View/local/raw/2024-01-02/plain.png", "View/local/raw/2024-01-02/broken.png",
                "View/local/raw/2024-01-02/text.png", "View/local/raw/2024-01-02/lone.jpg");
        assertThat(page.entries()).allSatisfy(entry -> assertThat(entry.metadata()).isEmpty());
    }

    @Test
    void aFolderNarrowsTheListingWithTheSameHygieneAsViewPaths() throws Exception {
        assertThat(gallery.list("local", "raw/2024-01-02", 0, 100).total()).isEqualTo(5);
        assertThat(gallery.list("local", "raw\\2024-01-02\\", 0, 100).total()).isEqualTo(5);
        assertThat(gallery.list("local", "raw/1999-12-31", 0, 100).total()).isZero();
        Files.createDirectories(data.resolve("elsewhere"));
        Files.write(data.resolve("elsewhere/outside.png"), TestImages.png(2, 2));
        Files.createSymbolicLink(outputs.resolve("local/linked"), data.resolve("elsewhere"));
        for (String folder : List.of("../someone", "..\\..", "/etc", "C:/x", "linked", "..")) {
            assertThatThrownBy(() -> gallery.list("local", folder, 0, 10)).as(folder)
                    .isInstanceOf(OutputPathException.class)
                    .hasMessage("Unacceptable path. If you are the server owner, check program console log.");
        }
    }

    @Test
    void aUserWithoutOutputsHasAnEmptyGallery() throws Exception {
        assertThat(gallery.list("nobody", "", 0, 10).entries()).isEmpty();
        assertThat(gallery.list("../nobody", "", 0, 10).total()).isZero();
        assertThat(new OutputGallery(data.resolve("never-created")).list("local", "", 0, 10).total()).isZero();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, OutputGallery.MAX_LIMIT + 1})
    void aLimitOutOfBoundsIsRefused(int limit) {
        assertThatThrownBy(() -> gallery.list("local", "", 0, limit)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("limit must be between 1 and 100: " + limit);
    }

    @Test
    void aNegativeOffsetIsRefused() {
        assertThatThrownBy(() -> gallery.list("local", "", -1, 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("offset must not be negative: -1");
    }

    private static long seed(JsonObject metadata) {
        return metadata.getAsJsonObject("sui_image_params").get("seed").getAsLong();
    }
}
