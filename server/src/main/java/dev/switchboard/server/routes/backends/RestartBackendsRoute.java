package dev.switchboard.server.routes.backends;

import com.google.gson.JsonObject;
import dev.switchboard.server.backends.BackendOperationException;
import dev.switchboard.server.backends.BackendOperations;
import dev.switchboard.server.http.ApiCall;
import dev.switchboard.server.http.ApiError;
import dev.switchboard.server.http.ApiField;
import dev.switchboard.server.http.ApiParam;
import dev.switchboard.server.http.ApiRoute;
import dev.switchboard.server.http.JsonType;
import dev.switchboard.server.http.RouteDoc;
import dev.switchboard.server.sessions.Permission;
import jakarta.inject.Inject;

/** {@code RestartBackends}: restarts the running or errored backends selected by {@code backend}. */
final class RestartBackendsRoute implements ApiRoute {
    private static final ApiParam BACKEND = ApiParam.optionalString("backend", "all",
            "A backend id, or all for every backend.");

    private final BackendOperations backends;
    private final SettingsLock lock;

    @Inject
    RestartBackendsRoute(BackendOperations backends, SettingsLock lock) {
        this.backends = backends;
        this.lock = lock;
    }

    @Override
    public String name() {
        return "RestartBackends";
    }

    /** Changes backends: recorded in the audit log. */
    @Override
    public boolean audited() {
        return true;
    }

    @Override
    public Permission permission() {
        return Permission.RESTART_BACKENDS;
    }

    @Override
    public RouteDoc doc() {
        return RouteDoc.summary("Restarts the selected backends that are running or errored (stop, then a fresh"
                + " start); refused while settings are locked.")
                .params(BACKEND)
                .answers(ApiField.of("result", JsonType.STRING, "Success."),
                        ApiField.of("count", JsonType.INTEGER, "How many backends were restarted."));
    }

    @Override
    public JsonObject handle(ApiCall call) {
        String selector = BACKEND.readString(call);
        lock.check();
        try {
            int count = backends.restart(selector);
            JsonObject result = new JsonObject();
            result.addProperty("result", "Success.");
            result.addProperty("count", count);
            return result;
        } catch (BackendOperationException e) {
            throw new ApiError(e.getMessage());
        }
    }
}
