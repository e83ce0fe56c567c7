package dev.switchboard.server.http;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One documented request parameter of a route: its key in the JSON body, type, whether it is required, its default
 * and what it does. Routes declare their parameters as constants and read them through {@link #readInt},
 * {@link #readBool} and {@link #readString}, so the name, type and default the docs show are the ones the route
 * uses ({@link ApiCall}'s SwarmUI binding: values are converted through their text form).
 *
 * @param name the key, exact and case-sensitive
 * @param type the JSON type
 * @param required whether a call without it is refused ({@code Missing required parameter ...})
 * @param defaultValue the value used when the key is absent (an Integer, Boolean, String or Double), or null
 * @param description what it does, one or two sentences
 */
public record ApiParam(String name, JsonType type, boolean required, Object defaultValue, String description) {

    public ApiParam {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(description, "description is null");
        if (required && defaultValue != null) {
            throw new IllegalArgumentException("a required parameter has no default: " + name);
        }
    }

    /** A required {@code Int32}. */
    public static ApiParam requiredInt(String name, String description) {
        return new ApiParam(name, JsonType.INTEGER, true, null, description);
    }

    /** An optional {@code Int32} with its default. */
    public static ApiParam optionalInt(String name, int defaultValue, String description) {
        return new ApiParam(name, JsonType.INTEGER, false, defaultValue, description);
    }

    /** A required {@code Boolean}. */
    public static ApiParam requiredBool(String name, String description) {
        return new ApiParam(name, JsonType.BOOLEAN, true, null, description);
    }

    /** An optional {@code Boolean} with its default. */
    public static ApiParam optionalBool(String name, boolean defaultValue, String description) {
        return new ApiParam(name, JsonType.BOOLEAN, false, defaultValue, description);
    }

    /** A required string. */
    public static ApiParam requiredString(String name, String description) {
        return new ApiParam(name, JsonType.STRING, true, null, description);
    }

    /** An optional string with its default. */
    public static ApiParam optionalString(String name, String defaultValue, String description) {
        return new ApiParam(name, JsonType.STRING, false, requireNonNull(defaultValue, "defaultValue is null"),
                description);
    }

    /**
     * An optional parameter without a default: a route reads it only when {@link #presentIn(ApiCall) present}, and
     * otherwise keeps what it had (e.g. a role's current value).
     */
    public static ApiParam optionalNoDefault(String name, JsonType type, String description) {
        return new ApiParam(name, type, false, null, description);
    }

    /** @return whether the call's body has this parameter's key (a present {@code null} counts) */
    public boolean presentIn(ApiCall call) {
        return call.has(name);
    }

    /** @return the default, when there is one */
    public Optional<Object> defaultIfAbsent() {
        return Optional.ofNullable(defaultValue);
    }

    /**
     * Reads this {@link JsonType#INTEGER} parameter from a call.
     *
     * @throws ApiParameterException when it is missing and has no default, or is not an Int32
     */
    public int readInt(ApiCall call) {
        expect(JsonType.INTEGER);
        return required || defaultValue == null ? call.requiredInt(name)
                : call.optionalInt(name, (Integer) defaultValue);
    }

    /**
     * Reads this {@link JsonType#BOOLEAN} parameter from a call.
     *
     * @throws ApiParameterException when it is missing and has no default, or is not a Boolean
     */
    public boolean readBool(ApiCall call) {
        expect(JsonType.BOOLEAN);
        return required || defaultValue == null ? call.requiredBool(name)
                : call.optionalBool(name, (Boolean) defaultValue);
    }

    /**
     * Reads this {@link JsonType#STRING} parameter from a call (the value's text form).
     *
     * @throws ApiParameterException when it is missing and has no default
     */
    public String readString(ApiCall call) {
        expect(JsonType.STRING);
        return required || defaultValue == null ? call.requiredString(name)
                : call.optionalString(name, (String) defaultValue);
    }

    private void expect(JsonType wanted) {
        if (type != wanted) {
            throw new IllegalStateException("parameter " + name + " is declared " + type + ", read as " + wanted);
        }
    }
}
