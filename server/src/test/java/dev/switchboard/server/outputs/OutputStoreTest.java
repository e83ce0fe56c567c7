package dev.switchboard.server.outputs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Saving outputs as real files: names, counters, clashes, PNG metadata and side files. */
final class OutputStoreTest {
    static final Instant REQUEST_TIME = Instant.parse("2024-01-02T03:04:05Z");

    @TempDir
    Path data;

    private final MutableClock clock = new MutableClock(REQUEST_TIME, ZoneOffset.UTC);

    private OutputStore store() {
        return new OutputStore(data.resolve("outputs"), clock);
    }

    static OutputDescription description(RequestStamp stamp, String prompt, String model, long seed) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("prompt", "ignored: the typed prompt wins");
        parameters.put("images", 1);
        parameters.put("sampler", "euler");
        parameters.put("loras", List.of("detail", "style"));
        parameters.put("donotsave", false);
        return new OutputDescription(stamp, prompt, "blurry", model, seed, 64, 48, 20, 7.5, parameters);
    }

    @Test
    void aPngIsSavedUnderSwarmsDefaultPathAndStillDecodesWithItsParametersEmbedded() throws Exception {
        OutputStore store = store();
        byte[] png = TestImages.png(64, 48);
        SavedOutput saved = store.save("local", png, "image/png",
                description(store.stampRequest(), "a photo of a cat", "sdxl/base.safetensors", 42));

        assertThat(saved.viewPath()).isEqualTo("View/local/raw/2024-01-02/0304001-a photo of a cat-sdxlbase.png");
        assertThat(saved.file()).isEqualTo(
                data.resolve("outputs/local/raw/2024-01-02/0304001-a photo of a cat-sdxlbase.png").toAbsolutePath());
        byte[] written = Files.readAllBytes(saved.file());
        BufferedImage original = TestImages.decode(png);
        BufferedImage decoded = TestImages.decode(written);
        assertThat(decoded.getWidth()).isEqualTo(64);
        assertThat(decoded.getHeight()).isEqualTo(48);
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                assertThat(decoded.getRGB(x, y)).as("pixel %d,%d", x, y).isEqualTo(original.getRGB(x, y));
            }
        }
        JsonObject metadata = JsonParser.parseString(PngText.read(written).get("parameters")).getAsJsonObject();
        JsonObject params = metadata.getAsJsonObject("sui_image_params");
        assertThat(params.keySet()).containsExactly("prompt", "negativeprompt", "model", "seed", "steps", "cfgscale",
                "width", "height", "images", "sampler", "loras", "donotsave");
        assertThat(params.get("prompt").getAsString()).isEqualTo("a photo of a cat");
        assertThat(params.get("negativeprompt").getAsString()).isEqualTo("blurry");
        assertThat(params.get("model").getAsString()).isEqualTo("sdxl/base.safetensors");
        assertThat(params.get("seed").getAsLong()).isEqualTo(42);
        assertThat(params.get("cfgscale").getAsDouble()).isEqualTo(7.5);
        assertThat(params.get("loras").toString()).isEqualTo("[\"detail\",\"style\"]");
        assertThat(params.get("donotsave").getAsBoolean()).isFalse();
        assertThat(metadata.getAsJsonObject("sui_extra_data").get("date").getAsString()).isEqualTo("2024-01-02");
        assertThat(files()).containsExactly(saved.file());
    }

    @Test
    void theRequestCounterCountsWithinAMinuteAndStartsAgainInTheNextAndAfter999() throws Exception {
        OutputStore store = store();
        assertThat(store.stampRequest().increment()).isEqualTo(1);
        clock.set(Instant.parse("2024-01-02T03:04:59.999Z"));
        RequestStamp second = store.stampRequest();
        assertThat(second.increment()).isEqualTo(2);
        clock.set(Instant.parse("2024-01-02T03:05:00Z"));
        RequestStamp nextMinute = store.stampRequest();
        assertThat(nextMinute.increment()).isEqualTo(1);
        clock.set(Instant.parse("2024-01-02T04:05:00Z"));
        assertThat(store.stampRequest().increment()).as("the same minute of another hour").isEqualTo(1);
        for (int i = 2; i <= 999; i++) {
            assertThat(store.stampRequest().increment()).isEqualTo(i);
        }
        assertThat(store.stampRequest().increment()).as("after 999").isEqualTo(1);

        byte[] png = TestImages.png(4, 4);
        assertThat(store.save("local", png, "image/png", description(second, "cat", "m", 1)).viewPath())
                .isEqualTo("View/local/raw/2024-01-02/0304002-cat-m.png");
        assertThat(store.save("local", png, "image/png", description(nextMinute, "cat", "m", 1)).viewPath())
                .isEqualTo("View/local/raw/2024-01-02/0305001-cat-m.png");
    }

    @Test
    void theDateFolderAndTimeFollowTheClocksZone() throws Exception {
        MutableClock tokyo = new MutableClock(Instant.parse("2024-01-02T23:30:00Z"), ZoneId.of("Asia/Tokyo"));
        OutputStore store = new OutputStore(data.resolve("outputs"), tokyo);
        assertThat(store.save("local", TestImages.png(4, 4), "image/png",
                description(store.stampRequest(), "cat", "m", 1)).viewPath())
                .isEqualTo("View/local/raw/2024-01-03/0830001-cat-m.png");
    }

    @Test
    void imagesOfOneRequestShareItsNameAndClashesGetNumbersWithoutOverwriting() throws Exception {
        OutputStore store = store();
        RequestStamp stamp = store.stampRequest();
        List<SavedOutput> saved = new ArrayList<>();
        List<byte[]> contents = new ArrayList<>();
        for (int seed = 0; seed < 3; seed++) {
            SavedOutput output = store.save("local", TestImages.png(8, 8), "image/png",
                    description(stamp, "cat", "model.ckpt", seed));
            saved.add(output);
            contents.add(Files.readAllBytes(output.file()));
        }
        assertThat(saved).extracting(SavedOutput::viewPath).containsExactly(
                "View/local/raw/2024-01-02/0304001-cat-model.png",
                "View/local/raw/2024-01-02/0304001-cat-model-1.png",
                "View/local/raw/2024-01-02/0304001-cat-model-2.png");
        for (int seed = 0; seed < 3; seed++) {
            byte[] now = Files.readAllBytes(saved.get(seed).file());
            assertThat(now).isEqualTo(contents.get(seed));
            assertThat(seedOf(now)).isEqualTo(seed);
        }
    }

    @Test
    void aFileOfAnyExtensionWithTheSameNameTakesTheName() throws Exception {
        Path folder = Files.createDirectories(data.resolve("outputs/local/raw/2024-01-02"));
        Files.writeString(folder.resolve("0304001-cat-m.jpg"), "someone else's");
        OutputStore store = store();
        SavedOutput saved = store.save("local", TestImages.png(4, 4), "image/png",
                description(store.stampRequest(), "cat", "m", 1));
        assertThat(saved.viewPath()).endsWith("/0304001-cat-m-1.png");
        assertThat(Files.readString(folder.resolve("0304001-cat-m.jpg"))).isEqualTo("someone else's");
    }

    @Test
    void aNameAnotherProgramTakesWhileTheImageIsWrittenIsLeftAloneAndTheNextIsUsed() throws Exception {
        Path outputs = data.resolve("outputs");
        OutputFileSystem racing = new NioOutputFileSystemWithRival();
        OutputStore store = new OutputStore(outputs, clock, racing);
        SavedOutput saved = store.save("local", TestImages.png(4, 4), "image/png",
                description(store.stampRequest(), "cat", "m", 1));
        assertThat(saved.viewPath()).endsWith("/0304001-cat-m-1.png");
        assertThat(Files.readString(outputs.resolve("local/raw/2024-01-02/0304001-cat-m.png"))).isEqualTo("rival");
        assertThat(seedOf(Files.readAllBytes(saved.file()))).isEqualTo(1);
    }

    @Test
    void concurrentSavesOfOneRequestNeverShareAFile() throws Exception {
        OutputStore store = store();
        RequestStamp stamp = store.stampRequest();
        byte[] png = TestImages.png(4, 4);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Callable<SavedOutput>> saves = new ArrayList<>();
            for (int seed = 0; seed < 200; seed++) {
                long value = seed;
                saves.add(() -> store.save("local", png, "image/png", description(stamp, "cat", "m", value)));
            }
            List<SavedOutput> saved = new ArrayList<>();
            for (Future<SavedOutput> result : threads.invokeAll(saves)) {
                saved.add(result.get());
            }
            assertThat(saved).extracting(SavedOutput::file).doesNotHaveDuplicates();
            assertThat(files()).hasSize(200);
            for (int seed = 0; seed < 200; seed++) {
                assertThat(seedOf(Files.readAllBytes(saved.get(seed).file()))).isEqualTo(seed);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void otherFormatsAreSavedAsTheyAreWithASideFile() throws Exception {
        OutputStore store = store();
        RequestStamp stamp = store.stampRequest();
        byte[] jpeg = TestImages.jpeg(16, 8);
        SavedOutput saved = store.save("local", jpeg, "image/jpeg", description(stamp, "cat", "m", 7));
        assertThat(saved.viewPath()).isEqualTo("View/local/raw/2024-01-02/0304001-cat-m.jpg");
        assertThat(Files.readAllBytes(saved.file())).isEqualTo(jpeg);
        Path side = saved.file().resolveSibling("0304001-cat-m.swarm.json");
        JsonObject metadata = JsonParser.parseString(Files.readString(side)).getAsJsonObject();
        assertThat(metadata.getAsJsonObject("sui_image_params").get("seed").getAsLong()).isEqualTo(7);

        assertThat(store.save("local", new byte[] {1, 2}, "image/webp", description(stamp, "cat", "m", 8)).viewPath())
                .isEqualTo("View/local/raw/2024-01-02/0304001-cat-m-1.webp");
        assertThat(store.save("local", new byte[] {3}, "application/x-unknown", description(stamp, "cat", "m", 9))
                .viewPath()).isEqualTo("View/local/raw/2024-01-02/0304001-cat-m-2.dat");
        assertThat(files()).hasSize(6);
    }

    @Test
    void bytesThatAreNotAPngAreRefusedAndNothingIsWritten() {
        OutputStore store = store();
        assertThatThrownBy(() -> store.save("local", TestImages.jpeg(4, 4), "image/png",
                description(store.stampRequest(), "cat", "m", 1)))
                .isInstanceOf(OutputSaveException.class)
                .hasMessage("The image is not a PNG: the PNG signature is missing.");
        assertThat(files()).isEmpty();
    }

    @Test
    void aDataUrlCarriesTheBytesAndTheMediaType() {
        byte[] png = TestImages.png(2, 2);
        String url = OutputStore.toDataUrl(png, "Image/PNG; charset=binary");
        assertThat(url).startsWith("data:image/png;base64,");
        assertThat(Base64.getDecoder().decode(url.substring("data:image/png;base64,".length()))).isEqualTo(png);
        assertThatThrownBy(() -> OutputStore.toDataUrl(png, "image/png,<script>"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OutputStore.toDataUrl(png, "png")).isInstanceOf(IllegalArgumentException.class);
    }

    static long seedOf(byte[] png) {
        return JsonParser.parseString(PngText.read(png).get("parameters")).getAsJsonObject()
                .getAsJsonObject("sui_image_params").get("seed").getAsLong();
    }

    /** Every regular file under the outputs folder, temporary ones included. */
    List<Path> files() {
        Path outputs = data.resolve("outputs");
        if (!Files.exists(outputs)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(outputs)) {
            return walk.filter(Files::isRegularFile).map(Path::toAbsolutePath).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Another program writes the image's name just before the store publishes its file there. */
    private static final class NioOutputFileSystemWithRival implements OutputFileSystem {
        private final OutputFileSystem real = new NioOutputFileSystem();
        private boolean rivalled;

        @Override
        public void createDirectories(Path directory) throws IOException {
            real.createDirectories(directory);
        }

        @Override
        public List<String> list(Path directory) throws IOException {
            return real.list(directory);
        }

        @Override
        public void write(Path file, byte[] content) throws IOException {
            real.write(file, content);
        }

        @Override
        public void force(Path file) throws IOException {
            real.force(file);
        }

        @Override
        public void publish(Path source, Path target) throws IOException {
            if (!rivalled) {
                rivalled = true;
                Files.writeString(target, "rival", UTF_8);
            }
            real.publish(source, target);
        }

        @Override
        public void deleteIfExists(Path file) throws IOException {
            real.deleteIfExists(file);
        }

        @Override
        public void forceDirectory(Path directory) throws IOException {
            real.forceDirectory(directory);
        }
    }
}
