package dev.switchboard.server.store;

import static dev.switchboard.server.store.SampleStates.comfySettings;
import static dev.switchboard.server.store.SampleStates.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

final class StoredBackendTest {

    @Test
    void ofBuildsTheFiveKnownFieldsInOrder() {
        StoredBackend backend = StoredBackend.of(3, "comfyui_api", "GPU", false, comfySettings("http://a:1"));

        assertThat(backend.id()).isEqualTo(3);
        assertThat(backend.type()).isEqualTo("comfyui_api");
        assertThat(backend.title()).isEqualTo("GPU");
        assertThat(backend.enabled()).isFalse();
        assertThat(backend.settings()).isEqualTo(comfySettings("http://a:1"));
        assertThat(backend.toJson().keySet()).containsExactly("id", "type", "title", "enabled", "settings");
    }

    @Test
    void ofRefusesWhatCouldNotBeLoadedAgain() {
        assertThatThrownBy(() -> StoredBackend.of(-1, "t", "", true, new JsonObject()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StoredBackend.of(0, "", "", true, new JsonObject()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StoredBackend.of(0, "t", null, true, new JsonObject()))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void missingOptionalFieldsReadAsTheirDefaultsWithoutBeingAdded() throws Exception {
        StoredBackend backend = StoredBackend.fromJson(parse("{\"id\": 4, \"type\": \"x\"}"));

        assertThat(backend.title()).isEmpty();
        assertThat(backend.enabled()).isTrue();
        assertThat(backend.settings()).isEqualTo(new JsonObject());
        assertThat(backend.toJson()).isEqualTo(parse("{\"id\": 4, \"type\": \"x\"}"));
    }

    @Test
    void withFieldsKeepsTypeUnknownFieldsAndKeyOrder() throws Exception {
        StoredBackend backend = StoredBackend.fromJson(parse(
                "{\"extra\": [1], \"id\": 4, \"title\": \"t\", \"type\": \"x\", \"more\": {\"a\": null}}"));

        StoredBackend edited = backend.withFields(9, "new", false, comfySettings("http://b:2"));

        assertThat(edited.toJson()).isEqualTo(parse("{\"extra\": [1], \"id\": 9, \"title\": \"new\", \"type\": \"x\","
                + " \"more\": {\"a\": null}, \"enabled\": false, \"settings\": "
                + comfySettings("http://b:2") + "}"));
        assertThat(edited.toJson().keySet())
                .containsExactly("extra", "id", "title", "type", "more", "enabled", "settings");
        assertThat(edited.type()).isEqualTo("x");
        assertThat(backend.id()).isEqualTo(4);
    }

    @Test
    void handsOutCopiesOnly() {
        JsonObject settings = comfySettings("http://a:1");
        StoredBackend backend = StoredBackend.of(0, "t", "", true, settings);

        settings.addProperty("Address", "changed by caller");
        backend.settings().addProperty("Address", "changed via settings()");
        backend.toJson().getAsJsonObject("settings").addProperty("Address", "changed via toJson()");

        assertThat(backend.settings().get("Address").getAsString()).isEqualTo("http://a:1");
    }

    @Test
    void fromJsonRefusesWrongKinds() {
        for (String entry : List.of("{\"type\": \"x\"}", "{\"id\": \"1\", \"type\": \"x\"}",
                "{\"id\": 1.5, \"type\": \"x\"}", "{\"id\": 1e2, \"type\": \"x\"}", "{\"id\": 1}",
                "{\"id\": 1, \"type\": \"\"}", "{\"id\": 1, \"type\": 5}", "{\"id\": -2, \"type\": \"x\"}",
                "{\"id\": 99999999999, \"type\": \"x\"}", "{\"id\": 1, \"type\": \"x\", \"title\": null}",
                "{\"id\": 1, \"type\": \"x\", \"enabled\": \"true\"}",
                "{\"id\": 1, \"type\": \"x\", \"settings\": []}")) {
            assertThatThrownBy(() -> StoredBackend.fromJson(parse(entry)))
                    .as(entry).isInstanceOf(StoreFormatException.class);
        }
    }

    @Test
    void equalityIsOnTheJsonContent() throws Exception {
        StoredBackend built = StoredBackend.of(2, "t", "a", true, comfySettings("http://a:1"));
        StoredBackend parsed = StoredBackend.fromJson(parse(built.toJson().toString()));
        StoredBackend withExtra = StoredBackend.fromJson(parse(
                "{\"id\": 2, \"type\": \"t\", \"title\": \"a\", \"enabled\": true, \"settings\": "
                        + comfySettings("http://a:1") + ", \"extra\": 1}"));

        assertThat(parsed).isEqualTo(built).hasSameHashCodeAs(built);
        assertThat(withExtra).isNotEqualTo(built);
        assertThat(built.withFields(2, "a", true, comfySettings("http://other:1"))).isNotEqualTo(built);
    }

    @Test
    void toStringLeavesSettingsOut() {
        JsonObject settings = new JsonObject();
        settings.addProperty("ApiKey", "canary-secret-value");

        assertThat(StoredBackend.of(0, "t", "x", true, settings).toString()).doesNotContain("canary-secret-value");
    }
}
