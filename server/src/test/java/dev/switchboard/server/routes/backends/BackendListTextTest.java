package dev.switchboard.server.routes.backends;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.switchboard.api.BackendStatus;
import dev.switchboard.api.settings.SettingDefinition;
import dev.switchboard.api.settings.SettingType;
import dev.switchboard.api.settings.Settings;
import dev.switchboard.api.settings.SettingsSchema;
import dev.switchboard.server.backends.BackendSnapshot;
import dev.switchboard.server.http.ApiJson;
import dev.switchboard.server.settings.SettingsJson;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BackendListTextTest {
    private static final SettingsSchema SCHEMA = SettingsSchema.of(
            SettingDefinition.builder("Address", SettingType.TEXT).defaultValue("http://127.0.0.1:8188").build(),
            SettingDefinition.builder("Token", SettingType.TEXT).defaultValue("").secret().build(),
            SettingDefinition.builder("AllowIdle", SettingType.BOOLEAN).defaultValue(false).build());

    private final BackendListText text = new BackendListText();

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void writesExactlyWhatTheJsonTreeWouldBe(boolean fullData) {
        List<BackendSnapshot> backends = List.of(
                snapshot(-3, "child \"quoted\" \u00e9\u2028 <b>", BackendStatus.LOADING, -1, false, OptionalInt.of(2)),
                snapshot(0, "", BackendStatus.RUNNING, 0, true, OptionalInt.empty()),
                snapshot(2, "GPU box", BackendStatus.ERRORED, 3_723_000, true, OptionalInt.empty()),
                snapshot(7, "tab\there", BackendStatus.IDLE, 200L * 24 * 3600 * 1000, false, OptionalInt.empty()));

        String written = text.write(backends, fullData).toString();
        assertThat(written).isEqualTo(tree(backends, fullData));
        // The second call answers from kept views and must not differ.
        assertThat(text.write(backends, fullData).toString()).isEqualTo(tree(backends, fullData));
        // Every snapshot holds the secret "s3cret"; the list shows only SwarmUI's placeholder.
        assertThat(written).doesNotContain("s3cret");
        JsonObject parsed = JsonParser.parseString(written).getAsJsonObject();
        for (BackendSnapshot backend : backends) {
            assertThat(parsed.getAsJsonObject(Integer.toString(backend.id())).getAsJsonObject("settings")
                    .get("Token").getAsString()).isEqualTo(SettingsJson.SECRET_PLACEHOLDER);
        }
    }

    @Test
    void anEmptyListIsAnEmptyObject() {
        assertThat(text.write(List.of(), false).toString()).isEqualTo("{}");
    }

    @Test
    void aChangedBackendIsWrittenAfresh() {
        BackendSnapshot before = snapshot(1, "GPU", BackendStatus.LOADING, -1, true, OptionalInt.empty());
        text.write(List.of(before), false);

        BackendSnapshot after = new BackendSnapshot(1, "comfyui_api", "ComfyUI", true, BackendStatus.RUNNING,
                "Running: 12 nodes.", before.settings(), 2, Set.of("comfyui", "txt2img"), true, "GPU", 1, -1,
                true, "model.safetensors", true, OptionalInt.empty(), 0, false, Map.of(), Set.of());

        String written = text.write(List.of(after), true).toString();
        assertThat(written).isEqualTo(tree(List.of(after), true)).contains("\"status\":\"running\"")
                .contains("Running: 12 nodes.").contains("\"current_model\":\"model.safetensors\"");
        assertThat(text.write(List.of(after), false).toString()).isEqualTo(tree(List.of(after), false))
                .doesNotContain("current_model");
    }

    @Test
    void theTimeSinceUseIsFreshOnEveryCall() {
        BackendSnapshot used = snapshot(4, "GPU", BackendStatus.RUNNING, 1_000, true, OptionalInt.empty());
        text.write(List.of(used), false);

        BackendSnapshot later = used.withUsedAgoMillis(65_000);

        assertThat(text.write(List.of(later), false).toString()).isEqualTo(tree(List.of(later), false))
                .contains("\"seconds_since_used\":65,\"time_since_used\":\"1 minute and 5 seconds ago\"");
    }

    @Test
    void aDeletedBackendIsNoLongerListed() {
        BackendSnapshot one = snapshot(1, "one", BackendStatus.RUNNING, -1, true, OptionalInt.empty());
        BackendSnapshot two = snapshot(2, "two", BackendStatus.RUNNING, -1, true, OptionalInt.empty());
        text.write(List.of(one, two), false);

        assertThat(text.write(List.of(two), false).toString()).isEqualTo(tree(List.of(two), false)).doesNotContain("\"one\"");
    }

    private static String tree(List<BackendSnapshot> backends, boolean fullData) {
        JsonObject result = new JsonObject();
        for (BackendSnapshot backend : backends) {
            result.add(Integer.toString(backend.id()), BackendViews.backend(backend, fullData));
        }
        return ApiJson.write(result);
    }

    private static BackendSnapshot snapshot(int id, String title, BackendStatus status, long usedAgo,
            boolean imageBackend, OptionalInt parent) {
        Settings settings = new Settings(SCHEMA, Map.of("Address", "http://gpu:8188", "Token", "s3cret",
                "AllowIdle", id % 2 == 0));
        return new BackendSnapshot(id, "comfyui_api", "ComfyUI", imageBackend, status, "Status of " + title,
                settings, id + 1, Set.of("comfyui"), id != 7, title, 1, usedAgo, false, null, parent.isEmpty(),
                parent, 0, false, Map.of(), Set.of());
    }
}
