package dev.switchboard.server.routes.backends;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.switchboard.server.backends.BackendOperationException;
import dev.switchboard.server.backends.BackendRegistry;
import dev.switchboard.server.backends.OutputPage;
import dev.switchboard.server.http.ApiCall;
import dev.switchboard.server.http.ApiError;
import dev.switchboard.server.http.ApiRoute;
import dev.switchboard.server.sessions.Permission;
import jakarta.inject.Inject;

/**
 * {@code GetBackendLogs} (Switchboard's own route): the recent output of a backend's engine, e.g. the lines a
 * self-started ComfyUI printed. {@code since} is a cursor: pass the previous answer's {@code next} to get only
 * new lines; {@code dropped} says how many lines after the cursor were already discarded.
 */
final class GetBackendLogsRoute implements ApiRoute {
    private static final int MAX_LINES = 1000;

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
    public JsonObject handle(ApiCall call) {
        int backendId = call.requiredInt("backend_id");
        int since = call.optionalInt("since", 0);
        int limit = call.optionalInt("limit", MAX_LINES);
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
