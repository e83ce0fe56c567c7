package dev.switchboard.server.routes.backends;

import com.google.gson.JsonObject;
import dev.switchboard.server.backends.BackendOperationException;
import dev.switchboard.server.backends.BackendOperations;
import dev.switchboard.server.http.ApiCall;
import dev.switchboard.server.http.ApiError;
import dev.switchboard.server.http.ApiRoute;
import dev.switchboard.server.sessions.Permission;
import jakarta.inject.Inject;

/** {@code DeleteBackend}: shuts a backend down and removes it. */
final class DeleteBackendRoute implements ApiRoute {
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

    @Override
    public Permission permission() {
        return Permission.ADD_REMOVE_BACKENDS;
    }

    @Override
    public JsonObject handle(ApiCall call) {
        int backendId = call.requiredInt("backend_id");
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
