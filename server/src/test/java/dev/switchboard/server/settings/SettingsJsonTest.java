package dev.switchboard.server.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.switchboard.api.settings.SettingDefinition;
import dev.switchboard.api.settings.SettingType;
import dev.switchboard.api.settings.Settings;
import dev.switchboard.api.settings.SettingsSchema;
import java.util.List;
import org.junit.jupiter.api.Test;

final class SettingsJsonTest {
    private static final SettingsSchema SCHEMA = SettingsSchema.of(
            SettingDefinition.builder("Address", SettingType.TEXT).build(),
            SettingDefinition.builder("AllowIdle", SettingType.BOOLEAN).build(),
            SettingDefinition.builder("OverQueue", SettingType.INTEGER).defaultValue(1).range(-1, 1000).build(),
            SettingDefinition.builder("Scale", SettingType.DECIMAL).defaultValue(1.5).build(),
            SettingDefinition.builder("Mode", SettingType.DROPDOWN).values(List.of("a", "true", "false"))
                    .valueNames(List.of("A", "Yes", "No")).build(),
            SettingDefinition.builder("Token", SettingType.TEXT).secret().build());

    private static Settings merge(String json) throws InvalidSettingException {
        return SettingsJson.merge(SCHEMA.defaults(), JsonParser.parseString(json).getAsJsonObject());
    }

    @Test
    void partialUpdateKeepsOtherValuesAndIgnoresUnknownOrMiscasedKeys() throws Exception {
        Settings settings = merge("{\"Address\":\"http://x\",\"address\":\"ignored\",\"Other\":1}");
        assertThat(settings.getString("Address")).isEqualTo("http://x");
        assertThat(settings.getLong("OverQueue")).isEqualTo(1);
        assertThat(settings.getBoolean("AllowIdle")).isFalse();
    }

    @Test
    void integersAcceptNumbersAndNumericStringsOnly() throws Exception {
        assertThat(merge("{\"OverQueue\":\"5\"}").getInt("OverQueue")).isEqualTo(5);
        assertThat(merge("{\"OverQueue\":5.0}").getInt("OverQueue")).isEqualTo(5);
        assertThat(merge("{\"OverQueue\":\" -1 \"}").getInt("OverQueue")).isEqualTo(-1);
        assertThatThrownBy(() -> merge("{\"OverQueue\":\"abc\"}"))
                .hasMessage("Invalid value \"abc\" for setting 'OverQueue': expected a whole number.");
        assertThatThrownBy(() -> merge("{\"OverQueue\":5.5}")).hasMessageContaining("'OverQueue'");
        assertThatThrownBy(() -> merge("{\"OverQueue\":\"12.0\"}")).hasMessageContaining("'OverQueue'");
        assertThatThrownBy(() -> merge("{\"OverQueue\":true}")).hasMessageContaining("'OverQueue'");
        assertThatThrownBy(() -> merge("{\"OverQueue\":3000000000}")).hasMessageContaining("between -1 and 1000");
        assertThatThrownBy(() -> merge("{\"OverQueue\":1001}"))
                .hasMessage("Invalid value 1001 for setting 'OverQueue': must be between -1 and 1000.");
    }

    @Test
    void booleansAcceptTrueAndFalseInAnyCaseAndNothingElse() throws Exception {
        assertThat(merge("{\"AllowIdle\":true}").getBoolean("AllowIdle")).isTrue();
        assertThat(merge("{\"AllowIdle\":\"TRUE\"}").getBoolean("AllowIdle")).isTrue();
        assertThat(merge("{\"AllowIdle\":\" false \"}").getBoolean("AllowIdle")).isFalse();
        assertThatThrownBy(() -> merge("{\"AllowIdle\":\"yes\"}"))
                .hasMessage("Invalid value \"yes\" for setting 'AllowIdle': expected true or false.");
        assertThatThrownBy(() -> merge("{\"AllowIdle\":1}")).hasMessageContaining("'AllowIdle'");
    }

    @Test
    void textTakesAnyScalarInCanonicalForm() throws Exception {
        assertThat(merge("{\"Address\":5}").getString("Address")).isEqualTo("5");
        assertThat(merge("{\"Address\":5.0}").getString("Address")).isEqualTo("5");
        assertThat(merge("{\"Address\":0.5}").getString("Address")).isEqualTo("0.5");
        assertThat(merge("{\"Address\":false}").getString("Address")).isEqualTo("false");
        assertThatThrownBy(() -> merge("{\"Address\":{\"a\":1}}")).hasMessageContaining("'Address'");
        assertThatThrownBy(() -> merge("{\"Address\":[1]}")).hasMessageContaining("'Address'");
    }

    @Test
    void nullIsRefusedWithTheSettingsName() {
        assertThatThrownBy(() -> merge("{\"Address\":null}"))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessage("Setting 'Address' cannot be null; send a text.");
    }

    @Test
    void decimalsAndDropdowns() throws Exception {
        assertThat(merge("{\"Scale\":\"2.25\"}").getDouble("Scale")).isEqualTo(2.25);
        assertThat(merge("{\"Scale\":3}").getDouble("Scale")).isEqualTo(3.0);
        assertThatThrownBy(() -> merge("{\"Scale\":\"NaN\"}")).hasMessageContaining("'Scale'");
        assertThat(merge("{\"Mode\":true}").getString("Mode")).isEqualTo("true");
        assertThatThrownBy(() -> merge("{\"Mode\":\"b\"}"))
                .hasMessage("Invalid value 'b' for setting 'Mode': must be one of a, true, false.");
    }

    @Test
    void secretsAreMaskedInViewsAndKeptByThePlaceholder() throws Exception {
        Settings withSecret = merge("{\"Token\":\"Bearer abc\"}");
        JsonObject view = SettingsJson.toView(withSecret);
        assertThat(view.get("Token").getAsString()).isEqualTo("\t<secret>");
        assertThat(SettingsJson.toStored(withSecret).get("Token").getAsString()).isEqualTo("Bearer abc");
        assertThat(view.toString()).doesNotContain("abc");

        JsonObject keep = new JsonObject();
        keep.addProperty("Token", "\t<secret>");
        assertThat(SettingsJson.merge(withSecret, keep).getSecret("Token").reveal()).isEqualTo("Bearer abc");

        JsonObject clear = new JsonObject();
        clear.addProperty("Token", "");
        Settings cleared = SettingsJson.merge(withSecret, clear);
        assertThat(cleared.getSecret("Token").isEmpty()).isTrue();
        assertThat(SettingsJson.toView(cleared).get("Token").getAsString()).isEmpty();
    }

    @Test
    void storedValuesFillDefaultsAndTakeThePlaceholderLiterally() throws Exception {
        Settings settings = SettingsJson.fromStored(SCHEMA,
                JsonParser.parseString("{\"OverQueue\":3,\"Token\":\"\\t<secret>\"}").getAsJsonObject());
        assertThat(settings.getLong("OverQueue")).isEqualTo(3);
        assertThat(settings.getDouble("Scale")).isEqualTo(1.5);
        assertThat(settings.getSecret("Token").reveal()).isEqualTo("\t<secret>");
    }

    @Test
    void storedFormKeepsSchemaOrder() throws Exception {
        JsonObject stored = SettingsJson.toStored(merge("{\"Token\":\"t\",\"Address\":\"a\"}"));
        assertThat(stored.keySet()).containsExactly("Address", "AllowIdle", "OverQueue", "Scale", "Mode", "Token");
    }

    @Test
    void aShortNumberCannotBecomeAHugeText() throws Exception {
        assertThat(merge("{\"Address\":1e3}").getString("Address")).isEqualTo("1000");
        assertThat(merge("{\"Address\":1e99}").getString("Address")).isEqualTo("1" + "0".repeat(99));
        for (String huge : List.of("1e100000000", "1e999999999", "-1E+500", "1e-999999999", "0.5e-200")) {
            assertThatThrownBy(() -> merge("{\"Address\":" + huge + "}")).isInstanceOf(InvalidSettingException.class)
                    .hasMessage("Invalid value " + huge + " for setting 'Address': a number with more than 100 digits"
                            + " cannot be written as text; send the text as a JSON string.");
            assertThatThrownBy(() -> merge("{\"Mode\":" + huge + "}")).hasMessageContaining("more than 100 digits");
        }
    }

    @Test
    void textAndListsAreBoundedByTheirMaximumLength() throws Exception {
        SettingsSchema bounded = SettingsSchema.of(
                SettingDefinition.builder("Args", SettingType.TEXT).build(),
                SettingDefinition.builder("Short", SettingType.TEXT).maxLength(5).build(),
                SettingDefinition.builder("Items", SettingType.LIST).maxLength(7).build());
        String limit = "x".repeat(SettingDefinition.DEFAULT_MAX_LENGTH);
        assertThat(SettingsJson.merge(bounded.defaults(), object("Args", limit)).getString("Args")).isEqualTo(limit);
        assertThatThrownBy(() -> SettingsJson.merge(bounded.defaults(), object("Args", limit + "x")))
                .hasMessage("Invalid value \"" + "x".repeat(56) + "... for setting 'Args': it is 8193 characters"
                        + " long, at most 8192 are allowed.");
        assertThatThrownBy(() -> SettingsJson.merge(bounded.defaults(), object("Short", "123456")))
                .hasMessage("Invalid value \"123456\" for setting 'Short': it is 6 characters long, at most 5 are"
                        + " allowed.");
        assertThat(SettingsJson.merge(bounded.defaults(), object("Items", "ab,cd")).getList("Items"))
                .containsExactly("ab", "cd");
        assertThatThrownBy(() -> SettingsJson.merge(bounded.defaults(), object("Items", "ab,cd,ef")))
                .hasMessage("Invalid value \"ab,cd,ef\" for setting 'Items': it is 8 characters long, at most 7 are"
                        + " allowed.");
        // The stored form is held to the same bound: a file written by hand cannot smuggle in what the API refuses.
        assertThatThrownBy(() -> SettingsJson.fromStored(bounded, object("Short", "123456")))
                .hasMessageContaining("at most 5 are allowed");
    }

    private static JsonObject object(String name, String value) {
        JsonObject json = new JsonObject();
        json.addProperty(name, value);
        return json;
    }
}
