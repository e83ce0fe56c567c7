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

/** {@code ToggleBackend}: enables or disables a backend. */
final class ToggleBackendRoute implements ApiRoute {
    private static final ApiParam BACKEND_ID = ApiParam.requiredInt("backend_id", "The backend's id.");
    private static final ApiParam ENABLED = ApiParam.requiredBool("enabled",
            "true starts the backend, false shuts it down and keeps it off.");

    private final BackendOperations backends;
    private final SettingsLock lock;

    @Inject
    ToggleBackendRoute(BackendOperations backends, SettingsLock lock) {
        this.backends = backends;
        this.lock = lock;
    }

    @Override
    public String name() {
        return "ToggleBackend";
    }

    /** Changes backends: recorded in the audit log. */
    @Override
    public boolean audited() {
        return true;
    }

    @Override
    public Permission permission() {
        return Permission.TOGGLE_BACKENDS;
    }

    @Override
    public RouteDoc doc() {
        return RouteDoc.summary("Enables or disables a backend (saved to disk before the answer); refused while"
                + " settings are locked.")
                .params(BACKEND_ID, ENABLED)
                .answers(ApiField.of("result", JsonType.BOOLEAN, "Whether the backend's enabled flag changed."));
    }

    @Override
    public JsonObject handle(ApiCall call) {
        int backendId = BACKEND_ID.readInt(call);
        boolean enabled = ENABLED.readBool(call);
        lock.check();
        try {
            JsonObject result = new JsonObject();
            result.addProperty("result", backends.toggle(backendId, enabled));
            return result;
        } catch (BackendOperationException e) {
            throw new ApiError(e.getMessage());
        }
    }
}
