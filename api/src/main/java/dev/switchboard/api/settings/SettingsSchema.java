package dev.switchboard.api.settings;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ordered settings of one backend type. Order is display order, and the order of keys in every
 * backend view and in the backends file. Immutable and thread-safe. Built once, in
 * {@link dev.switchboard.api.BackendType#settingsSchema()}.
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
     * @param definitions the settings in display order; names must be unique; never null
     * @return the schema
     * @throws IllegalArgumentException when two settings have the same name
     */
    public static SettingsSchema of(SettingDefinition... definitions) {
        return new SettingsSchema(List.of(definitions));
    }

    /**
     * Creates a schema.
     *
     * @param definitions the settings in display order; names must be unique; never null
     * @return the schema
     * @throws IllegalArgumentException when two settings have the same name
     */
    public static SettingsSchema of(List<SettingDefinition> definitions) {
        return new SettingsSchema(definitions);
    }

    /**
     * Returns the settings.
     *
     * @return the definitions in display order; unmodifiable, never null
     */
    public List<SettingDefinition> definitions() {
        return definitions;
    }

    /**
     * Looks a setting up by its exact name.
     *
     * @param name the case-sensitive name, never null
     * @return the definition, or empty when the schema has no such setting
     */
    public Optional<SettingDefinition> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /**
     * Returns settings holding every default value, e.g. for a newly added backend.
     *
     * @return the defaults, never null
     */
    public Settings defaults() {
        Map<String, Object> values = new LinkedHashMap<>();
        for (SettingDefinition definition : definitions) {
            values.put(definition.name(), definition.defaultValue());
        }
        return new Settings(this, values);
    }
}
