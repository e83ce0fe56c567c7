package dev.switchboard.server.routes.backends;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.switchboard.server.backends.BackendOperationException;
import dev.switchboard.server.backends.BackendRegistry;
import dev.switchboard.server.backends.OutputPage;
import dev.switchboard.server.http.ApiCall;
import dev.switchboard.server.http.ApiError;
import dev.switchboard.server.http.ApiField;
import dev.switchboard.server.http.ApiParam;
import dev.switchboard.server.http.ApiRoute;
import dev.switchboard.server.http.JsonType;
import dev.switchboard.server.http.RouteDoc;
import dev.switchboard.server.sessions.Permission;
import jakarta.inject.Inject;

/**
 * {@code GetBackendLogs} (Switchboard's own route): the recent output of a backend's engine, e.g. the lines a
 * self-started ComfyUI printed. {@code since} is a cursor: pass the previous answer's {@code next} to get only
 * new lines; {@code dropped} says how many lines after the cursor were already discarded.
 */
final class GetBackendLogsRoute implements ApiRoute {
    private static final int MAX_LINES = 1000;

    private static final ApiParam BACKEND_ID = ApiParam.requiredInt("backend_id", "The backend's id.");
    private static final ApiParam SINCE = ApiParam.optionalInt("since", 0,
            "The number of the first line wanted: the previous answer's next, or 0 for every line still kept.");
    private static final ApiParam LIMIT = ApiParam.optionalInt("limit", MAX_LINES,
            "The most lines to answer (1 to " + MAX_LINES + ").");

    private final BackendRegistry backends;

    @Inject
    GetBackendLogsRoute(BackendRegistry backends) {
        this.backends = backends;
    }

    @Override
    public String name() {
        return "GetBackendLogs";
    }

    @Override
    public Permission permission() {
        return Permission.VIEW_LOGS;
    }

    @Override
    public RouteDoc doc() {
        return RouteDoc.summary("The recent output of a backend's engine (e.g. the lines a self-started ComfyUI"
                + " printed), from a cursor on.")
                .params(BACKEND_ID, SINCE, LIMIT)
                .answers(ApiField.of("backend_id", JsonType.INTEGER, "The backend's id."),
                        ApiField.of("first", JsonType.INTEGER, "The number of the first line answered."),
                        ApiField.of("next", JsonType.INTEGER, "The cursor to pass as since for only newer lines."),
                        ApiField.of("dropped", JsonType.INTEGER,
                                "How many lines after the cursor were already discarded."),
                        ApiField.of("lines", JsonType.ARRAY, "The lines, oldest first."));
    }

    @Override
    public JsonObject handle(ApiCall call) {
        int backendId = BACKEND_ID.readInt(call);
        int since = SINCE.readInt(call);
        int limit = LIMIT.readInt(call);
        OutputPage page;
        try {
            page = backends.output(backendId, since, Math.max(1, Math.min(limit, MAX_LINES)));
        } catch (BackendOperationException e) {
            throw new ApiError(e.getMessage());
        }
        JsonObject result = new JsonObject();
        result.addProperty("backend_id", backendId);
        result.addProperty("first", page.first());
        result.addProperty("next", page.next());
        result.addProperty("dropped", page.dropped());
        JsonArray lines = new JsonArray();
        page.lines().forEach(lines::add);
        result.add("lines", lines);
        return result;
    }
}
