package dev.switchboard.server.outputs;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;

/** The answers of {@code /View/} that are not the file, with SwarmUI's status codes, texts and error ids. */
enum ViewError {
    BAD_PATH(400, OutputPathException.ERROR_ID, OutputPathException.MESSAGE),
    UNAUTHORIZED(400, "unauthorized", "unauthorized - you may not view other users' outputs"),
    NOT_FOUND(404, "file_not_found", "404, file not found."),
    FILE_ERROR(500, "file_error", "Error reading file. If you are the server owner, check program console log.");

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    private final int status;
    private final String errorId;
    private final String message;

    ViewError(int status, String errorId, String message) {
        this.status = status;
        this.errorId = errorId;
        this.message = message;
    }

    int status() {
        return status;
    }

    String message() {
        return message;
    }

    /** @return {@code {"error":"<message>","error_id":"<id>"}}, in SwarmUI's key order */
    byte[] body() {
        JsonObject body = new JsonObject();
        body.addProperty("error", message);
        body.addProperty("error_id", errorId);
        return GSON.toJson(body).getBytes(UTF_8);
    }
}
