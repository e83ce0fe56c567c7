package dev.switchboard.api.settings;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A typed, read-only view of one backend's settings: one value per definition of the schema, in the Java
 * representation of its {@link SettingType}. The host builds it from validated input; plugins only read it.
 * Immutable, so safe to read from any thread.
 *
 * @param schema the schema the values belong to
 * @param values one value per setting, keyed by exact name, in schema order
 * @since 1.0
 */
public record Settings(SettingsSchema schema, Map<String, Object> values) {

    /**
     * Checks that every setting of the schema has a value of the right Java type, and copies the map.
     *
     * @param schema the schema, never null
     * @param values the values, never null
     * @throws NullPointerException when {@code schema} or {@code values} is null
     * @throws IllegalArgumentException when a setting has no value or a value of the wrong Java type
     */
    public Settings {
        Objects.requireNonNull(schema, "schema is null");
        Objects.requireNonNull(values, "values is null");
        Map<String, Object> copy = new LinkedHashMap<>();
        for (SettingDefinition definition : schema.definitions()) {
            Object value = values.get(definition.name());
            if (value == null) {
                throw new IllegalArgumentException("no value for setting " + definition.name());
            }
            Class<?> expected = switch (definition.type()) {
                case TEXT, DROPDOWN -> String.class;
                case INTEGER -> Long.class;
                case DECIMAL -> Double.class;
                case BOOLEAN -> Boolean.class;
                case LIST -> List.class;
            };
            if (!expected.isInstance(value)) {
                throw new IllegalArgumentException("setting " + definition.name() + " needs a "
                        + expected.getSimpleName() + ", got " + value.getClass().getSimpleName());
            }
            copy.put(definition.name(), value instanceof List<?> list ? List.copyOf(list) : value);
        }
        values = Collections.unmodifiableMap(copy);
    }

    /**
     * Reads a text or dropdown setting.
     *
     * @param name the exact name
     * @return the value, never null
     * @throws IllegalArgumentException when the schema has no setting of that name, or it has another type
     */
    public String getString(String name) {
        return (String) value(name, SettingType.TEXT, SettingType.DROPDOWN);
    }

    /**
     * Reads a secret text setting.
     *
     * @param name the exact name
     * @return the value wrapped so it does not leak through {@code toString()}; never null
     * @throws IllegalArgumentException when the schema has no setting of that name, or it has another type
     */
    public Secret getSecret(String name) {
        return new Secret((String) value(name, SettingType.TEXT));
    }

    /**
     * Reads an integer setting.
     *
     * @param name the exact name
     * @return the value
     * @throws ArithmeticException if the value does not fit an int (only for settings with a wider range)
     * @throws IllegalArgumentException when the schema has no setting of that name, or it has another type
     */
    public int getInt(String name) {
        return Math.toIntExact(getLong(name));
    }

    /**
     * Reads an integer setting.
     *
     * @param name the exact name
     * @return the value
     * @throws IllegalArgumentException when the schema has no setting of that name, or it has another type
     */
    public long getLong(String name) {
        return (Long) value(name, SettingType.INTEGER);
    }

    /**
     * Reads a decimal setting.
     *
     * @param name the exact name
     * @return the value
     * @throws IllegalArgumentException when the schema has no setting of that name, or it has another type
     */
    public double getDouble(String name) {
        return (Double) value(name, SettingType.DECIMAL);
    }

    /**
     * Reads a boolean setting.
     *
     * @param name the exact name
     * @return the value
     * @throws IllegalArgumentException when the schema has no setting of that name, or it has another type
     */
    public boolean getBoolean(String name) {
        return (Boolean) value(name, SettingType.BOOLEAN);
    }

    /**
     * Reads a list setting.
     *
     * @param name the exact name
     * @return an unmodifiable list, never null
     * @throws IllegalArgumentException when the schema has no setting of that name, or it has another type
     */
    @SuppressWarnings("unchecked")
    public List<String> getList(String name) {
        return (List<String>) value(name, SettingType.LIST);
    }

    private Object value(String name, SettingType... allowed) {
        SettingDefinition definition = schema.find(name)
                .orElseThrow(() -> new IllegalArgumentException("no setting named " + name));
        for (SettingType type : allowed) {
            if (definition.type() == type) {
                return values.get(name);
            }
        }
        throw new IllegalArgumentException("setting " + name + " is of type " + definition.type());
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("Settings{");
        for (SettingDefinition definition : schema.definitions()) {
            Object value = values.get(definition.name());
            text.append(definition.name()).append('=')
                    .append(definition.isSecret() ? new Secret((String) value) : value).append(", ");
        }
        if (text.length() > "Settings{".length()) {
            text.setLength(text.length() - 2);
        }
        return text.append('}').toString();
    }
}
