package dev.switchboard.server.routes.outputs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.switchboard.server.http.ApiCall;
import dev.switchboard.server.http.ApiError;
import dev.switchboard.server.http.ApiParameterException;
import dev.switchboard.server.outputs.OutputDescription;
import dev.switchboard.server.outputs.OutputGallery;
import dev.switchboard.server.outputs.OutputStore;
import dev.switchboard.server.outputs.SavedOutput;
import dev.switchboard.server.sessions.Permission;
import dev.switchboard.server.sessions.Session;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ListOutputs over real saved files: its parameters, its answer and its refusals. */
final class ListOutputsRouteTest {
    private static final Instant WRITTEN = Instant.parse("2024-01-02T03:04:05Z");

    @TempDir
    Path data;

    private ListOutputsRoute route;
    private final List<SavedOutput> saved = new ArrayList<>();

    /** Three images of user local, seeds 0 to 2, each written a second after the one before; one of user bob. */
    @BeforeEach
    void saveImages() throws Exception {
        Path outputs = data.resolve("outputs");
        OutputStore store = new OutputStore(outputs, Clock.fixed(WRITTEN, ZoneOffset.UTC));
        for (int seed = 0; seed < 3; seed++) {
            SavedOutput output = store.save("local", png(16, 8), "image/png", new OutputDescription(
                    store.stampRequest(), "a cat", "", "m.safetensors", seed, 16, 8, 4, 7.5, Map.of("sampler", "euler")));
            Files.setLastModifiedTime(output.file(), FileTime.from(WRITTEN.plusSeconds(seed)));
            saved.add(output);
        }
        store.save("bob", png(8, 8), "image/png", new OutputDescription(store.stampRequest(), "bob's", "", "m", 9, 8, 8,
                1, 1, Map.of()));
        route = new ListOutputsRoute(new OutputGallery(outputs));
    }

    @Test
    void listsTheCallersImagesNewestFirstWithTheirEmbeddedParameters() throws Exception {
        JsonObject answer = route.handle(call("{}"));

        assertThat(route.name()).isEqualTo("ListOutputs");
        assertThat(route.permission()).isEqualTo(Permission.VIEW_IMAGE_HISTORY);
        assertThat(answer.keySet()).containsExactly("files", "offset", "limit", "total");
        assertThat(answer.get("total").getAsInt()).isEqualTo(3);
        assertThat(answer.get("offset").getAsInt()).isZero();
        assertThat(answer.get("limit").getAsInt()).isEqualTo(ListOutputsRoute.DEFAULT_LIMIT);
        JsonArray files = answer.getAsJsonArray("files");
        assertThat(files).hasSize(3);
        JsonObject newest = files.get(0).getAsJsonObject();
        assertThat(newest.keySet()).containsExactly("image", "metadata", "size", "modified");
        assertThat(newest.get("image").getAsString()).isEqualTo(saved.get(2).viewPath());
        assertThat(newest.get("size").getAsLong()).isEqualTo(Files.size(saved.get(2).file()));
        assertThat(newest.get("modified").getAsString()).isEqualTo("2024-01-02T03:04:07Z");
        // The metadata is JSON text, as GenerateText2ImageWS sends an image's.
        JsonObject params = JsonParser.parseString(newest.get("metadata").getAsString()).getAsJsonObject()
                .getAsJsonObject("sui_image_params");
        assertThat(params.get("seed").getAsLong()).isEqualTo(2);
        assertThat(params.get("prompt").getAsString()).isEqualTo("a cat");
        assertThat(params.get("sampler").getAsString()).isEqualTo("euler");
        assertThat(files).extracting(file -> file.getAsJsonObject().get("image").getAsString())
                .containsExactly(saved.get(2).viewPath(), saved.get(1).viewPath(), saved.get(0).viewPath())
                .allMatch(path -> path.startsWith("View/local/"));
    }

    @Test
    void pagesAndFoldersNarrowTheListing() throws Exception {
        JsonObject page = route.handle(call("{\"offset\":1,\"limit\":1}"));
        assertThat(page.getAsJsonArray("files")).hasSize(1);
        assertThat(page.getAsJsonArray("files").get(0).getAsJsonObject().get("image").getAsString())
                .isEqualTo(saved.get(1).viewPath());
        assertThat(page.get("total").getAsInt()).isEqualTo(3);
        assertThat(route.handle(call("{\"offset\":5}")).getAsJsonArray("files")).isEmpty();
        assertThat(route.handle(call("{\"path\":\"raw/2024-01-02\"}")).get("total").getAsInt()).isEqualTo(3);
        assertThat(route.handle(call("{\"path\":\"raw/1999-01-01\"}")).get("total").getAsInt()).isZero();
    }

    @Test
    void anImageWithoutReadableParametersHasNullMetadata() throws Exception {
        Path folder = saved.get(0).file().getParent();
        Files.write(folder.resolve("foreign.png"), png(4, 4));
        Files.setLastModifiedTime(folder.resolve("foreign.png"), FileTime.from(WRITTEN.plusSeconds(60)));

        JsonObject newest = route.handle(call("{\"limit\":1}")).getAsJsonArray("files").get(0).getAsJsonObject();

        assertThat(newest.get("image").getAsString()).endsWith("/foreign.png");
        assertThat(newest.get("metadata").isJsonNull()).isTrue();
    }

    @Test
    void badValuesAreRefusedInWordsThatNameThem() {
        assertThatThrownBy(() -> route.handle(call("{\"offset\":-1}"))).isInstanceOf(ApiError.class)
                .hasMessage("Invalid value '-1' for parameter 'offset': it must be 0 or more.");
        assertThatThrownBy(() -> route.handle(call("{\"limit\":0}"))).isInstanceOf(ApiError.class)
                .hasMessage("Invalid value '0' for parameter 'limit': it must be between 1 and 100.");
        assertThatThrownBy(() -> route.handle(call("{\"limit\":101}"))).isInstanceOf(ApiError.class)
                .hasMessage("Invalid value '101' for parameter 'limit': it must be between 1 and 100.");
        assertThatThrownBy(() -> route.handle(call("{\"limit\":\"many\"}"))).isInstanceOf(ApiParameterException.class)
                .hasMessage("Invalid value 'many' for parameter 'limit', must be type 'Int32'");
        // Cleaned as /View/ paths are: ".." is removed, and what then leads out of the user's folder is refused.
        for (String path : List.of("../bob", "/etc", "..\\\\bob", "C:/Windows")) {
            assertThatThrownBy(() -> route.handle(call("{\"path\":\"" + path + "\"}"))).as(path)
                    .isInstanceOf(ApiError.class)
                    .hasMessage("Unacceptable path. If you are the server owner, check program console log.");
        }
        assertThat(route.handle(call("{\"path\":\"raw/../../bob\"}")).get("total").getAsInt()).isZero();
    }

    private static ApiCall call(String body) {
        return new ApiCall(JsonParser.parseString(body).getAsJsonObject(),
                Optional.of(new Session("s1", "local", List.of(Permission.ALL))), Map.of());
    }

    private static byte[] png(int width, int height) throws Exception {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, 0xff0000);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(image, "png", bytes);
        return bytes.toByteArray();
    }
}
