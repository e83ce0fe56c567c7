package dev.switchboard.api.settings;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ordered settings of one backend type. Order is display order, and the order of keys in every
 * backend view and in the backends file. Immutable.
 *
 * @since 1.0
 */
public final class SettingsSchema {
    private final List<SettingDefinition> definitions;
    private final Map<String, SettingDefinition> byName;

    private SettingsSchema(List<SettingDefinition> definitions) {
        this.definitions = List.copyOf(definitions);
        Map<String, SettingDefinition> index = new LinkedHashMap<>();
        for (SettingDefinition definition : this.definitions) {
            if (index.put(definition.name(), definition) != null) {
                throw new IllegalArgumentException("setting " + definition.name() + " is declared twice");
            }
        }
        this.byName = index;
    }

    /**
     * Creates a schema.
     *
     * @param definitions the settings in display order; names must be unique
     * @return the schema
     */
    public static SettingsSchema of(SettingDefinition... definitions) {
        return new SettingsSchema(List.of(definitions));
    }

    /**
     * Creates a schema.
     *
     * @param definitions the settings in display order; names must be unique
     * @return the schema
     */
    public static SettingsSchema of(List<SettingDefinition> definitions) {
        return new SettingsSchema(definitions);
    }

    /** @return the definitions in order */
    public List<SettingDefinition> definitions() {
        return definitions;
    }

    /**
     * Looks a setting up by its exact name.
     *
     * @param name the case-sensitive name
     * @return the definition, or empty
     */
    public Optional<SettingDefinition> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** @return settings holding every default value */
    public Settings defaults() {
        Map<String, Object> values = new LinkedHashMap<>();
        for (SettingDefinition definition : definitions) {
            values.put(definition.name(), definition.defaultValue());
        }
        return new Settings(this, values);
    }
}
