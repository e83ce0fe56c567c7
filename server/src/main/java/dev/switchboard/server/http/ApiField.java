package dev.switchboard.server.http;

import static java.util.Objects.requireNonNull;

/**
 * One documented field of a route's answer.
 *
 * @param name the key in the answer object; {@code <id>} style names stand for keys that vary (e.g. backend ids)
 * @param type the JSON type
 * @param description what it holds
 */
public record ApiField(String name, JsonType type, String description) {

    public ApiField {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(description, "description is null");
    }

    public static ApiField of(String name, JsonType type, String description) {
        return new ApiField(name, type, description);
    }
}
