package dev.switchboard.api.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class SettingsSchemaTest {
    @Test
    void defaultsFollowTheTypeWhenNotGiven() {
        SettingsSchema schema = SettingsSchema.of(
                SettingDefinition.builder("Text", SettingType.TEXT).build(),
                SettingDefinition.builder("Number", SettingType.INTEGER).defaultValue(3).build(),
                SettingDefinition.builder("Ratio", SettingType.DECIMAL).defaultValue(2).build(),
                SettingDefinition.builder("Flag", SettingType.BOOLEAN).build(),
                SettingDefinition.builder("Choice", SettingType.DROPDOWN).values(List.of("b", "a")).build(),
                SettingDefinition.builder("Items", SettingType.LIST).build());
        Settings defaults = schema.defaults();
        assertThat(defaults.values()).containsExactly(Map.entry("Text", ""), Map.entry("Number", 3L),
                Map.entry("Ratio", 2.0), Map.entry("Flag", false), Map.entry("Choice", "b"), Map.entry("Items", List.of()));
        assertThat(defaults.getInt("Number")).isEqualTo(3);
        assertThat(schema.find("Choice").orElseThrow().valueNames()).containsExactly("b", "a");
        assertThat(schema.find("choice")).isEmpty();
    }

    @Test
    void inconsistentDefinitionsAreRefusedWhenBuilt() {
        assertThatThrownBy(() -> SettingDefinition.builder("D", SettingType.DROPDOWN).build())
                .hasMessageContaining("no values");
        assertThatThrownBy(() -> SettingDefinition.builder("S", SettingType.INTEGER).secret().build())
                .hasMessageContaining("must be of type TEXT");
        assertThatThrownBy(() -> SettingDefinition.builder("N", SettingType.INTEGER).defaultValue(5).range(0, 4).build())
                .hasMessageContaining("out of its range");
        assertThatThrownBy(() -> SettingDefinition.builder("T", SettingType.TEXT).defaultValue(5).build())
                .hasMessageContaining("does not fit");
        assertThatThrownBy(() -> SettingDefinition.builder("D", SettingType.DROPDOWN).values(List.of("a"))
                .valueNames(List.of("A", "B")).build()).hasMessageContaining("value names");
        assertThatThrownBy(() -> SettingsSchema.of(SettingDefinition.builder("X", SettingType.TEXT).build(),
                SettingDefinition.builder("X", SettingType.BOOLEAN).build())).hasMessageContaining("declared twice");
    }

    @Test
    void integersDefaultToThe32BitRange() {
        SettingDefinition number = SettingDefinition.builder("N", SettingType.INTEGER).build();
        assertThat(number.min()).isEqualTo(Integer.MIN_VALUE);
        assertThat(number.max()).isEqualTo(Integer.MAX_VALUE);
        assertThat(SettingDefinition.builder("D", SettingType.DECIMAL).build().max()).isNull();
    }

    @Test
    void settingsCheckTypesAndNeverPrintSecrets() {
        SettingsSchema schema = SettingsSchema.of(
                SettingDefinition.builder("Token", SettingType.TEXT).secret().build(),
                SettingDefinition.builder("Port", SettingType.INTEGER).build());
        Settings settings = new Settings(schema, Map.of("Token", "hunter2", "Port", 8188L));
        assertThat(settings.toString()).isEqualTo("Settings{Token=Secret[****], Port=8188}").doesNotContain("hunter2");
        assertThat(settings.getSecret("Token").reveal()).isEqualTo("hunter2");
        assertThat(settings.getSecret("Token").toString()).doesNotContain("hunter2");
        assertThatThrownBy(() -> new Settings(schema, Map.of("Token", "x", "Port", "8188")))
                .hasMessageContaining("Port");
        assertThatThrownBy(() -> new Settings(schema, Map.of("Token", "x"))).hasMessageContaining("no value for setting Port");
        assertThatThrownBy(() -> settings.getBoolean("Port")).hasMessageContaining("INTEGER");
    }
}
