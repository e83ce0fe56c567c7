package dev.switchboard.plugins.comfyui.connection;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonObject;

/**
 * What ComfyUI answered to a call whose error statuses carry JSON too ({@code POST /prompt}).
 *
 * @param status the HTTP status
 * @param body the JSON object answered
 */
public record JsonAnswer(int status, JsonObject body) {
    /**
     * Checks the fields.
     *
     * @param status the HTTP status
     * @param body the body, never null
     */
    public JsonAnswer {
        requireNonNull(body, "body is null");
    }

    /** @return whether the status is 2xx */
    public boolean ok() {
        return status >= 200 && status <= 299;
    }
}
