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

/** {@code DeleteBackend}: shuts a backend down and removes it. */
final class DeleteBackendRoute implements ApiRoute {
    private static final ApiParam BACKEND_ID = ApiParam.requiredInt("backend_id", "The backend's id.");

    private final BackendOperations backends;
    private final SettingsLock lock;

    @Inject
    DeleteBackendRoute(BackendOperations backends, SettingsLock lock) {
        this.backends = backends;
        this.lock = lock;
    }

    @Override
    public String name() {
        return "DeleteBackend";
    }

    /** Changes backends: recorded in the audit log. */
    @Override
    public boolean audited() {
        return true;
    }

    @Override
    public Permission permission() {
        return Permission.ADD_REMOVE_BACKENDS;
    }

    @Override
    public RouteDoc doc() {
        return RouteDoc.summary("Shuts a backend down (with its non-real children) and removes it from the stored"
                + " backends; refused while settings are locked.")
                .params(BACKEND_ID)
                .answers(ApiField.of("result", JsonType.BOOLEAN, "Whether a backend with that id was removed."));
    }

    @Override
    public JsonObject handle(ApiCall call) {
        int backendId = BACKEND_ID.readInt(call);
        lock.check();
        try {
            JsonObject result = new JsonObject();
            result.addProperty("result", backends.delete(backendId));
            return result;
        } catch (BackendOperationException e) {
            throw new ApiError(e.getMessage());
        }
    }
}
