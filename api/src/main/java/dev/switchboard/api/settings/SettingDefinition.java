package dev.switchboard.api.settings;

import java.util.List;
import java.util.Objects;

/**
 * One setting of a backend type: its exact name (the JSON key clients send back), value type, default,
 * help texts and constraints. Immutable; built with {@link #builder(String, SettingType)}.
 *
 * <p>The host enforces the constraints before any change is applied: integers and decimals must lie
 * within {@link #min()}..{@link #max()} (integers default to the 32-bit range), dropdown values must be
 * one of {@link #values()}. Secrets are masked in every response and log.
 *
 * @since 1.0
 */
public final class SettingDefinition {
    /**
     * The longest text a text or list setting takes unless its definition says otherwise, in characters (a list
     * counts its items and one separator between each two). Bounds what one request can make the host store,
     * show and write to disk.
     */
    public static final int DEFAULT_MAX_LENGTH = 8192;

    private final String name;
    private final SettingType type;
    private final Object defaultValue;
    private final String description;
    private final String placeholder;
    private final boolean secret;
    private final List<String> values;
    private final List<String> valueNames;
    private final Double min;
    private final Double max;
    private final int maxLength;
    private final boolean headerList;

    private SettingDefinition(Builder builder) {
        this.name = builder.name;
        this.type = builder.type;
        this.description = builder.description;
        this.placeholder = builder.placeholder;
        this.secret = builder.secret;
        this.values = List.copyOf(builder.values);
        this.valueNames = builder.valueNames.isEmpty() ? this.values : List.copyOf(builder.valueNames);
        this.min = builder.min;
        this.max = builder.max;
        this.maxLength = builder.maxLength;
        this.headerList = builder.headerList;
        this.defaultValue = builder.defaultValue == null ? emptyValue(type, values) : builder.defaultValue;
        validate();
    }

    /**
     * Starts a definition.
     *
     * @param name the exact, case-sensitive key, e.g. {@code "Address"}; not empty
     * @param type the value type, never null
     * @return a builder; {@link Builder#build()} checks the parts
     */
    public static Builder builder(String name, SettingType type) {
        return new Builder(name, type);
    }

    /** @return the exact key of the setting */
    public String name() {
        return name;
    }

    /** @return the value type */
    public SettingType type() {
        return type;
    }

    /** @return the default value, in the Java representation of {@link SettingType} */
    public Object defaultValue() {
        return defaultValue;
    }

    /** @return the help text shown next to the field; may contain line breaks; never null */
    public String description() {
        return description;
    }

    /** @return the input placeholder, or an empty string */
    public String placeholder() {
        return placeholder;
    }

    /** @return whether the value is secret (masked in responses and logs) */
    public boolean isSecret() {
        return secret;
    }

    /** @return the allowed values of a dropdown; empty for other types */
    public List<String> values() {
        return values;
    }

    /** @return display names parallel to {@link #values()} (the values themselves when none were given) */
    public List<String> valueNames() {
        return valueNames;
    }

    /**
     * Tells whether this text setting holds HTTP headers, one {@code Name: value} per line, whose values are
     * secrets: the host shows each value as the secret placeholder (a client that sends a line back with the
     * placeholder keeps that header's stored value) and removes the values from any text an engine sends back.
     * Header names stay visible.
     *
     * @return true when built with {@link Builder#headerList()}
     */
    public boolean isHeaderList() {
        return headerList;
    }

    /**
     * Returns the longest value a text or list setting takes, in characters (a list counts its items and one
     * separator between each two); the host refuses longer values. Not used by other types.
     *
     * @return the bound, {@link #DEFAULT_MAX_LENGTH} unless the builder set another
     */
    public int maxLength() {
        return maxLength;
    }

    /** @return the smallest allowed number, or null for no bound (32-bit minimum for integers) */
    public Double min() {
        return min != null ? min : type == SettingType.INTEGER ? (double) Integer.MIN_VALUE : null;
    }

    /** @return the largest allowed number, or null for no bound (32-bit maximum for integers) */
    public Double max() {
        return max != null ? max : type == SettingType.INTEGER ? (double) Integer.MAX_VALUE : null;
    }

    private static Object emptyValue(SettingType type, List<String> values) {
        return switch (type) {
            case TEXT -> "";
            case INTEGER -> 0L;
            case DECIMAL -> 0.0;
            case BOOLEAN -> Boolean.FALSE;
            case DROPDOWN -> values.isEmpty() ? "" : values.get(0);
            case LIST -> List.of();
        };
    }

    private void validate() {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("setting name is empty");
        }
        Objects.requireNonNull(type, "type is null");
        if (type == SettingType.DROPDOWN && values.isEmpty()) {
            throw new IllegalArgumentException("dropdown setting " + name + " has no values");
        }
        if (type != SettingType.DROPDOWN && !values.isEmpty()) {
            throw new IllegalArgumentException("setting " + name + " has values but is not a dropdown");
        }
        if (valueNames.size() != values.size()) {
            throw new IllegalArgumentException("setting " + name + " has " + values.size() + " values but "
                    + valueNames.size() + " value names");
        }
        if (headerList && (type != SettingType.TEXT || secret)) {
            throw new IllegalArgumentException("header list setting " + name + " must be of type TEXT and not secret");
        }
        if (secret && type != SettingType.TEXT) {
            throw new IllegalArgumentException("secret setting " + name + " must be of type TEXT");
        }
        boolean typeMatches = switch (type) {
            case TEXT -> defaultValue instanceof String;
            case DROPDOWN -> defaultValue instanceof String s && values.contains(s);
            case INTEGER -> defaultValue instanceof Long;
            case DECIMAL -> defaultValue instanceof Double;
            case BOOLEAN -> defaultValue instanceof Boolean;
            case LIST -> defaultValue instanceof List<?> list && list.stream().allMatch(String.class::isInstance);
        };
        if (!typeMatches) {
            throw new IllegalArgumentException("default of setting " + name + " does not fit its type " + type
                    + ": " + defaultValue);
        }
        if (lengthOf(defaultValue) > maxLength) {
            throw new IllegalArgumentException("default of setting " + name + " is longer than its maxLength "
                    + maxLength);
        }
        if (defaultValue instanceof Number number) {
            double value = number.doubleValue();
            if ((min() != null && value < min()) || (max() != null && value > max())) {
                throw new IllegalArgumentException("default of setting " + name + " is out of its range");
            }
        }
    }

    /**
     * Measures a value as {@link #maxLength()} counts it: a text's characters, a list's items plus one separator
     * between each two; 0 for other values.
     *
     * @param value a setting value
     * @return its length
     */
    public static long lengthOf(Object value) {
        if (value instanceof String text) {
            return text.length();
        }
        if (value instanceof List<?> list) {
            long length = Math.max(0, list.size() - 1L);
            for (Object item : list) {
                length += String.valueOf(item).length();
            }
            return length;
        }
        return 0;
    }

    @Override
    public String toString() {
        return "SettingDefinition[" + name + ", " + type + "]";
    }

    /** Builds a {@link SettingDefinition}. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private final SettingType type;
        private Object defaultValue;
        private String description = "";
        private String placeholder = "";
        private boolean secret;
        private List<String> values = List.of();
        private List<String> valueNames = List.of();
        private Double min;
        private Double max;
        private int maxLength = DEFAULT_MAX_LENGTH;
        private boolean headerList;

        private Builder(String name, SettingType type) {
            this.name = Objects.requireNonNull(name, "name is null");
            this.type = Objects.requireNonNull(type, "type is null");
        }

        /**
         * Sets the default value: a {@link String}, {@link Boolean}, {@link Long} (an {@link Integer} is
         * widened), {@link Double} or list of strings, matching the type. Without it the default is empty
         * text, 0, false, the first dropdown value or an empty list.
         *
         * @param value the default
         * @return this builder
         */
        public Builder defaultValue(Object value) {
            Object normalized = value instanceof Integer i ? Long.valueOf(i) : value;
            if (type == SettingType.DECIMAL && value instanceof Number n && !(value instanceof Double)) {
                normalized = n.doubleValue();
            }
            if (normalized instanceof List<?> list) {
                normalized = List.copyOf(list);
            }
            this.defaultValue = normalized;
            return this;
        }

        /**
         * Sets the help text.
         *
         * @param text the description
         * @return this builder
         */
        public Builder description(String text) {
            this.description = Objects.requireNonNull(text, "description is null");
            return this;
        }

        /**
         * Sets the input placeholder.
         *
         * @param text the placeholder
         * @return this builder
         */
        public Builder placeholder(String text) {
            this.placeholder = Objects.requireNonNull(text, "placeholder is null");
            return this;
        }

        /**
         * Marks the setting secret (only for {@link SettingType#TEXT}).
         *
         * @return this builder
         */
        public Builder secret() {
            this.secret = true;
            return this;
        }

        /**
         * Sets the dropdown values (only for {@link SettingType#DROPDOWN}).
         *
         * @param allowed the values, in display order
         * @return this builder
         */
        public Builder values(List<String> allowed) {
            this.values = List.copyOf(allowed);
            return this;
        }

        /**
         * Sets display names parallel to the dropdown values.
         *
         * @param names the names, one per value
         * @return this builder
         */
        public Builder valueNames(List<String> names) {
            this.valueNames = List.copyOf(names);
            return this;
        }

        /**
         * Marks a text setting as a list of HTTP headers, one {@code Name: value} per line, whose values are
         * secrets (see {@link SettingDefinition#isHeaderList()}). Use it for settings such as extra request
         * headers, which often carry API keys.
         *
         * @return this builder
         */
        public Builder headerList() {
            this.headerList = true;
            return this;
        }

        /**
         * Sets the longest value a text or list setting takes (default {@link #DEFAULT_MAX_LENGTH}).
         *
         * @param characters the bound, at least 1
         * @return this builder
         */
        public Builder maxLength(int characters) {
            if (characters < 1) {
                throw new IllegalArgumentException("maxLength of " + name + " must be at least 1: " + characters);
            }
            this.maxLength = characters;
            return this;
        }

        /**
         * Restricts a number to a closed range.
         *
         * @param minimum the smallest allowed value
         * @param maximum the largest allowed value
         * @return this builder
         */
        public Builder range(double minimum, double maximum) {
            if (minimum > maximum) {
                throw new IllegalArgumentException("range of " + name + " is empty");
            }
            this.min = minimum;
            this.max = maximum;
            return this;
        }

        /**
         * Builds the definition.
         *
         * @return the definition
         * @throws IllegalArgumentException when the parts do not fit together (e.g. a default outside the range)
         */
        public SettingDefinition build() {
            return new SettingDefinition(this);
        }
    }
}
