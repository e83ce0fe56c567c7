package dev.switchboard.plugins.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.settings.SettingDefinition;
import dev.switchboard.api.settings.SettingIssue;
import dev.switchboard.api.settings.SettingType;
import dev.switchboard.api.settings.Settings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class SwarmBackendTypeTest {
    private final SwarmBackendType type = new SwarmBackendType();

    static Settings settings(Map<String, Object> overrides) {
        Map<String, Object> values = new LinkedHashMap<>(SwarmSettings.SCHEMA.defaults().values());
        values.putAll(overrides);
        return new Settings(SwarmSettings.SCHEMA, values);
    }

    @Test
    void schemaHasSwarmUisSettingsInOrderWithTheirDefaults() {
        List<SettingDefinition> definitions = type.settingsSchema().definitions();
        assertThat(type.id()).isEqualTo("swarmswarmbackend");
        assertThat(definitions).extracting(SettingDefinition::name).containsExactly("Address", "AllowIdle",
                "AllowForwarding", "AllowWebsocket", "AuthorizationHeader", "OtherHeaders",
                "ConnectionAttemptTimeoutSeconds");
        assertThat(definitions).extracting(SettingDefinition::type).containsExactly(SettingType.TEXT,
                SettingType.BOOLEAN, SettingType.BOOLEAN, SettingType.BOOLEAN, SettingType.TEXT, SettingType.TEXT,
                SettingType.INTEGER);
        assertThat(definitions).extracting(SettingDefinition::defaultValue)
                .containsExactly("", false, true, true, "", "", 30L);
        assertThat(definitions).extracting(SettingDefinition::isSecret)
                .containsExactly(false, false, false, false, true, false, false);
    }

    @Test
    void acceptsDefaultsAndWellFormedSettings() {
        assertThat(type.validate(settings(Map.of()))).isEmpty();
        assertThat(type.validate(settings(Map.of("Address", " http://gpu-box:7801/ ",
                "AuthorizationHeader", "Bearer abc.def", "OtherHeaders", "X-Api-Key: 1\r\n\nX-Route: a:b\n")))).isEmpty();
    }

    @Test
    void refusesAMalformedAddress() {
        for (String address : List.of("gpu-box:7801", "ftp://gpu-box", "http://", "http://u:p@host:7801",
                "http://host:7801/?x=1", "http://host name")) {
            List<SettingIssue> issues = type.validate(settings(Map.of("Address", address)));
            assertThat(issues).as(address).singleElement()
                    .satisfies(issue -> assertThat(issue.setting()).isEqualTo("Address"));
        }
    }

    @Test
    void refusesAnAuthorizationHeaderThatIsNotSchemeAndValueWithoutQuotingIt() {
        for (String value : List.of("tokenonly", " Token", "Bad(scheme) value", "Token x\ty")) {
            List<SettingIssue> issues = type.validate(settings(Map.of("AuthorizationHeader", value)));
            assertThat(issues).as(value).singleElement().satisfies(issue -> {
                assertThat(issue.setting()).isEqualTo("AuthorizationHeader");
                assertThat(issue.message()).contains("'<scheme> <value>'");
                if (value.strip().length() > 3) {
                    assertThat(issue.message()).doesNotContain(value.strip());
                }
            });
        }
    }

    @Test
    void refusesOtherHeaderLinesThatAreNotNameColonValue() {
        List<SettingIssue> issues = type.validate(settings(Map.of("OtherHeaders",
                "X-Good: 1\nno colon\nBad Name: 2\nX-Empty:\nHost: elsewhere")));
        assertThat(issues).extracting(SettingIssue::setting).containsOnly("OtherHeaders");
        assertThat(issues).extracting(SettingIssue::message).hasSize(4)
                .anySatisfy(m -> assertThat(m).startsWith("OtherHeaders line 2"))
                .anySatisfy(m -> assertThat(m).startsWith("OtherHeaders line 3"))
                .anySatisfy(m -> assertThat(m).startsWith("OtherHeaders line 4"))
                .anySatisfy(m -> assertThat(m).startsWith("OtherHeaders line 5").contains("Host"));
    }
}
