package dev.switchboard.api.settings;

import java.util.Objects;

/**
 * The value of a secret setting (e.g. an {@code Authorization} header). Its {@link #toString()} never
 * shows the value, so a secret that ends up in a log line or an exception message stays hidden; call
 * {@link #reveal()} only where the value is really sent somewhere. Immutable and thread-safe.
 *
 * @since 1.0
 */
public final class Secret {
    private final String value;

    /**
     * Wraps a secret value.
     *
     * @param value the plain value; empty means "not set"; never null
     * @throws NullPointerException when {@code value} is null
     */
    public Secret(String value) {
        this.value = Objects.requireNonNull(value, "value is null");
    }

    /**
     * Returns the plain value.
     *
     * @return the value, never null
     */
    public String reveal() {
        return value;
    }

    /**
     * Tells whether no value is set.
     *
     * @return true for the empty secret
     */
    public boolean isEmpty() {
        return value.isEmpty();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Secret secret && secret.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return value.isEmpty() ? "Secret[empty]" : "Secret[****]";
    }
}
