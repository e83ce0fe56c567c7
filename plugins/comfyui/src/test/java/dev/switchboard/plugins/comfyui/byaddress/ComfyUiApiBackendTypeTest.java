package dev.switchboard.plugins.comfyui.byaddress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.InitMode;
import dev.switchboard.api.settings.SettingDefinition;
import dev.switchboard.api.settings.SettingIssue;
import dev.switchboard.api.settings.SettingType;
import dev.switchboard.api.settings.Settings;
import dev.switchboard.testkit.backends.TestingBackendContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class ComfyUiApiBackendTypeTest {
    private final ComfyUiApiBackendType type = new ComfyUiApiBackendType();

    @Test
    void describesItselfInItsOwnWords() {
        assertThat(type.id()).isEqualTo("comfyui_api");
        assertThat(type.displayName()).isNotBlank().isNotEqualTo("ComfyUI API By URL");
        assertThat(type.description()).isNotBlank()
                .isNotEqualTo("A backend powered by a pre-existing installation of ComfyUI, referenced via API base URL.");
        assertThat(type.isStandard()).isFalse();
        assertThat(type.isImageBackend()).isTrue();
        assertThat(type.initMode()).isEqualTo(InitMode.PARALLEL);
    }

    @Test
    void schemaHasSwarmUisSettingsInOrderWithTheirDefaults() {
        List<SettingDefinition> definitions = type.settingsSchema().definitions();

        assertThat(definitions).extracting(SettingDefinition::name)
                .containsExactly("Address", "AllowIdle", "OverQueue", "EnableFrontendDev");
        assertThat(definitions).extracting(SettingDefinition::type)
                .containsExactly(SettingType.TEXT, SettingType.BOOLEAN, SettingType.INTEGER, SettingType.BOOLEAN);
        assertThat(definitions).extracting(SettingDefinition::defaultValue).containsExactly("", false, 1L, false);
        assertThat(definitions).allSatisfy(definition -> {
            assertThat(definition.description()).isNotBlank();
            assertThat(definition.isSecret()).isFalse();
        });
        assertThat(definitions.get(0).placeholder()).isEqualTo("ComfyUI's address...");
        assertThat(definitions.get(2).min()).isEqualTo(-1.0);
        assertThat(definitions.get(2).max()).isEqualTo(1000.0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "http://127.0.0.1:8188", "https://comfy.example.com/", "HTTP://gpu1:8188",
        "http://[::1]:8188", "http://gpu1:8188/comfy/"})
    void acceptsUsableAddresses(String address) {
        assertThat(type.validate(settings(address))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost:8188", "127.0.0.1:8188", "ftp://gpu1:8188", "http://", "not a url",
        "http://user:secret@gpu1:8188", "http://gpu1:8188/?token=x", "http://gpu1:8188/#top", "/relative/path"})
    void refusesUnusableAddressesWithAnExample(String address) {
        List<SettingIssue> issues = type.validate(settings(address));

        assertThat(issues).singleElement().satisfies(issue -> {
            assertThat(issue.setting()).isEqualTo("Address");
            assertThat(issue.message()).contains("http://127.0.0.1:8188").doesNotContain("secret");
        });
    }

    @Test
    void createsABackendThatAdvertisesTheBaseFeatures() {
        try (TestingBackendContext context = new TestingBackendContext(type.settingsSchema().defaults())) {
            assertThat(type.create(context)).isInstanceOf(ComfyUiApiBackend.class);
            assertThat(context.features()).contains("comfyui", "folderslash");
        }
    }

    private Settings settings(String address) {
        Map<String, Object> values = new LinkedHashMap<>(type.settingsSchema().defaults().values());
        values.put("Address", address);
        return new Settings(type.settingsSchema(), values);
    }
}
