package dev.switchboard.api.settings;

/**
 * The value type of one setting, with the name SwarmUI clients expect in {@code ListBackendTypes}.
 *
 * <p>Java representation of values: {@link #TEXT} and {@link #DROPDOWN} are {@link String},
 * {@link #INTEGER} is {@link Long} (within the definition's range, 32-bit by default), {@link #DECIMAL}
 * is {@link Double}, {@link #BOOLEAN} is {@link Boolean}, {@link #LIST} is an unmodifiable
 * {@code List<String>}.
 *
 * @since 1.0
 */
public enum SettingType {
    /** Free text. */
    TEXT("text"),
    /** A whole number. */
    INTEGER("integer"),
    /** A decimal number. */
    DECIMAL("decimal"),
    /** True or false. */
    BOOLEAN("boolean"),
    /** One of a fixed list of values, each with an optional display name. */
    DROPDOWN("dropdown"),
    /** A list of text values. */
    LIST("list");

    private final String wireName;

    SettingType(String wireName) {
        this.wireName = wireName;
    }

    /**
     * Returns the name used in {@code ListBackendTypes}, e.g. {@code "boolean"}.
     *
     * @return the wire name
     */
    public String wireName() {
        return wireName;
    }
}
