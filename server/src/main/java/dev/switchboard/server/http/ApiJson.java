package dev.switchboard.server.http;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.Strictness;

/** Writes API answers as compact JSON text, the one way every answer is written. Thread-safe. */
public final class ApiJson {
    // Nulls kept ("current_model":null must appear), no HTML escaping, insertion order, no NaN or Infinity.
    private static final Gson GSON = new GsonBuilder()
            .serializeNulls()
            .disableHtmlEscaping()
            .setStrictness(Strictness.STRICT)
            .create();

    private ApiJson() {
    }

    /**
     * Writes a JSON value.
     *
     * @param json the value
     * @return its compact text
     * @throws IllegalArgumentException when it holds NaN or an infinity
     */
    public static String write(JsonElement json) {
        return GSON.toJson(json);
    }
}
