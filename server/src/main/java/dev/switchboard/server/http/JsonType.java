package dev.switchboard.server.http;

import java.util.Locale;

/** The JSON type of a documented parameter or answer field, as OpenAPI names it. */
public enum JsonType {
    STRING, INTEGER, NUMBER, BOOLEAN, OBJECT, ARRAY;

    /** @return the lower-case name OpenAPI's schemas use, e.g. {@code integer} */
    public String schemaName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
