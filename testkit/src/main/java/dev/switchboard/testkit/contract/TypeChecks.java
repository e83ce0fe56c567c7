package dev.switchboard.testkit.contract;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.api.BackendType;
import dev.switchboard.api.settings.SettingDefinition;
import dev.switchboard.api.settings.SettingIssue;
import dev.switchboard.api.settings.SettingType;
import dev.switchboard.api.settings.Settings;
import dev.switchboard.api.settings.SettingsSchema;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/** The checks of {@link BackendTypeContractTest} on the type itself: its descriptions, schema and secrets. */
final class TypeChecks {
    /** The type id syntax the server accepts. */
    private static final Pattern TYPE_ID = Pattern.compile("[A-Za-z0-9_.-]+");

    private final BackendTypeContractTest contract;

    TypeChecks(BackendTypeContractTest contract) {
        this.contract = contract;
    }

    void idAndDescriptionFollowTheRules() {
        BackendType type = contract.backendType();
        String id = type.id();
        assertNotNull(id, "id() returned null");
        assertTrue(TYPE_ID.matcher(id).matches(),
                () -> "type id '" + id + "' may only contain letters, digits, '_', '-' and '.'");
        assertNotBlank(type.displayName(), "displayName()");
        assertNotBlank(type.description(), "description()");
        assertNotNull(type.initMode(), "initMode() returned null");
        Duration timeout = type.initTimeout();
        assertNotNull(timeout, "initTimeout() returned null");
        assertTrue(!timeout.isNegative() && !timeout.isZero(), () -> "initTimeout() must be positive: " + timeout);
        BackendType again = contract.backendType();
        assertEquals(id, again.id(), "id() must be constant");
        assertEquals(type.displayName(), again.displayName(), "displayName() must be constant");
        assertEquals(type.isStandard(), again.isStandard(), "isStandard() must be constant");
    }

    void schemaIsWellFormed() {
        SettingsSchema schema = contract.backendType().settingsSchema();
        assertNotNull(schema, "settingsSchema() returned null");
        Set<String> names = new HashSet<>();
        for (SettingDefinition definition : schema.definitions()) {
            String name = definition.name();
            assertTrue(names.add(name), () -> "setting name '" + name + "' is used twice");
            assertNotNull(definition.description(), () -> "setting " + name + " has a null description");
            if (definition.type() == SettingType.DROPDOWN) {
                List<String> values = definition.values();
                assertFalse(values.isEmpty(), () -> "dropdown " + name + " has no values");
                assertEquals(values.size(), Set.copyOf(values).size(), () -> "dropdown " + name
                        + " repeats a value: " + values);
                assertEquals(values.size(), definition.valueNames().size(),
                        () -> "dropdown " + name + " needs one name per value");
                definition.valueNames().forEach(valueName -> assertNotBlank(valueName,
                        "a value name of dropdown " + name));
            }
            if (definition.min() != null && definition.max() != null) {
                assertTrue(definition.min() <= definition.max(), () -> "setting " + name + " has min > max");
            }
        }
    }

    void defaultsAreValid() {
        BackendType type = contract.backendType();
        Settings defaults = type.settingsSchema().defaults();
        Settings rebuilt = assertDoesNotThrow(() -> new Settings(defaults.schema(), defaults.values()),
                "the defaults do not fit their settings");
        List<SettingIssue> issues = type.validate(rebuilt);
        assertNotNull(issues, "validate() returned null");
        assertTrue(issues.isEmpty(), () -> "validate() refuses the default settings: " + issues);
    }

    void secretsNeverShowInToString() {
        SettingsSchema schema = contract.backendType().settingsSchema();
        List<SettingDefinition> secrets = schema.definitions().stream().filter(SettingDefinition::isSecret).toList();
        assumeTrue(!secrets.isEmpty(), "the type has no secret settings");
        Map<String, Object> values = new LinkedHashMap<>(schema.defaults().values());
        String secret = "contract-secret-" + UUID.randomUUID();
        secrets.forEach(definition -> values.put(definition.name(), secret));
        Settings settings = new Settings(schema, values);
        assertFalse(settings.toString().contains(secret), "Settings.toString() shows a secret");
        for (SettingDefinition definition : secrets) {
            assertFalse(settings.getSecret(definition.name()).toString().contains(secret),
                    () -> "Secret.toString() shows the value of " + definition.name());
            assertEquals(secret, settings.getSecret(definition.name()).reveal());
        }
    }

    private static void assertNotBlank(String text, String what) {
        assertNotNull(text, what + " is null");
        assertFalse(text.isBlank(), what + " is blank");
    }
}
