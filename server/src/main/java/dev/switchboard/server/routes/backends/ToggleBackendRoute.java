package dev.switchboard.server.routes.backends;

import com.google.gson.JsonObject;
import dev.switchboard.server.backends.BackendOperationException;
import dev.switchboard.server.backends.BackendOperations;
import dev.switchboard.server.http.ApiCall;
import dev.switchboard.server.http.ApiError;
import dev.switchboard.server.http.ApiRoute;
import dev.switchboard.server.sessions.Permission;
import jakarta.inject.Inject;

/** {@code ToggleBackend}: enables or disables a backend. */
final class ToggleBackendRoute implements ApiRoute {
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

    @Override
    public Permission permission() {
        return Permission.TOGGLE_BACKENDS;
    }

    @Override
    public JsonObject handle(ApiCall call) {
        int backendId = call.requiredInt("backend_id");
        boolean enabled = call.requiredBool("enabled");
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
