package dev.switchboard.server.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.settings.SettingDefinition;
import dev.switchboard.api.settings.SettingType;
import dev.switchboard.api.settings.Settings;
import dev.switchboard.api.settings.SettingsSchema;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

final class RedactorTest {
    private static final SettingsSchema SCHEMA = SettingsSchema.of(
            SettingDefinition.builder("Address", SettingType.TEXT).build(),
            SettingDefinition.builder("Authorization", SettingType.TEXT).secret().build(),
            SettingDefinition.builder("Headers", SettingType.TEXT).headerList().build());

    private static Settings settings(String address, String authorization, String headers) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("Address", address);
        values.put("Authorization", authorization);
        values.put("Headers", headers);
        return new Settings(SCHEMA, values);
    }

    @Test
    void secretsAreTheSecretValuesTheirTokensAndHeaderValues() {
        assertThat(SecretValues.of(settings("http://gpu:8188", "Bearer abc123", "X-Api-Key: k-1\nX-Team:  blue \n\nbad")))
                .containsExactly("Bearer abc123", "abc123", "blue", "k-1");
        assertThat(SecretValues.of(settings("http://gpu:8188", "", "X-Short: ab"))).isEmpty();
    }

    @Test
    void textLosesEverySecretLongestFirst() {
        Redactor redactor = new Redactor();
        Object first = new Object();
        redactor.setSecrets(first, SecretValues.of(settings("", "Bearer abc123", "")));
        assertThat(redactor.redact("denied for Bearer abc123; token abc123")).isEqualTo(
                "denied for [redacted]; token [redacted]");
        assertThat(redactor.redact("nothing secret here")).isEqualTo("nothing secret here");
        assertThat(redactor.redact(null)).isNull();
        assertThat(redactor.redact("key k-9", Set.of("k-9"))).isEqualTo("key [redacted]");

        Object second = new Object();
        redactor.setSecrets(second, Set.of("other-secret"));
        assertThat(redactor.redact("abc123 other-secret")).isEqualTo("[redacted] [redacted]");
        redactor.remove(first);
        assertThat(redactor.redact("abc123 other-secret")).isEqualTo("abc123 [redacted]");
        redactor.setSecrets(second, Set.of());
        assertThat(redactor.redact("abc123 other-secret")).isEqualTo("abc123 other-secret");
    }

    @Test
    void headerListsShowNamesAndKeepStoredValuesForThePlaceholder() {
        String stored = "X-Api-Key: k-1\nX-Team: blue\nX-Api-Key: k-2";
        String masked = SecretValues.maskHeaderValues(stored, "\t<secret>");
        assertThat(masked).isEqualTo("X-Api-Key: \t<secret>\nX-Team: \t<secret>\nX-Api-Key: \t<secret>");
        assertThat(SecretValues.restoreHeaderValues(masked + "\nX-New: v", stored, "\t<secret>"))
                .isEqualTo("X-Api-Key: k-1\nX-Team: blue\nX-Api-Key: k-2\nX-New: v");
        assertThat(SecretValues.restoreHeaderValues("x-team: \t<secret>\nX-Gone: \t<secret>", stored, "\t<secret>"))
                .isEqualTo("x-team: blue\nX-Gone: \t<secret>");
        assertThat(SecretValues.maskHeaderValues("", "\t<secret>")).isEmpty();
    }
}
