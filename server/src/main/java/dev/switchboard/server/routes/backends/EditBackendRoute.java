package dev.switchboard.server.routes.backends;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.switchboard.server.backends.BackendEdit;
import dev.switchboard.server.backends.BackendOperationException;
import dev.switchboard.server.backends.BackendOperations;
import dev.switchboard.server.http.ApiCall;
import dev.switchboard.server.http.ApiError;
import dev.switchboard.server.http.ApiRoute;
import dev.switchboard.server.sessions.Permission;
import jakarta.inject.Inject;

/**
 * {@code EditBackend}: replaces the title and the given settings, optionally re-keys the backend
 * ({@code new_id}), and restarts it. The settings come from the top-level {@code settings} key (SwarmUI's
 * documented {@code raw_inp} is its name for the whole body).
 */
final class EditBackendRoute implements ApiRoute {
    private final BackendOperations backends;
    private final SettingsLock lock;

    @Inject
    EditBackendRoute(BackendOperations backends, SettingsLock lock) {
        this.backends = backends;
        this.lock = lock;
    }

    @Override
    public String name() {
        return "EditBackend";
    }

    @Override
    public Permission permission() {
        return Permission.EDIT_BACKENDS;
    }

    @Override
    public JsonObject handle(ApiCall call) {
        int backendId = call.requiredInt("backend_id");
        String title = call.requiredString("title");
        int newId = call.optionalInt("new_id", -1);
        lock.check();
        JsonElement settings = call.bodyWithoutSessionId().get("settings");
        if (settings == null || !settings.isJsonObject()) {
            throw new ApiError("Missing settings.");
        }
        try {
            BackendEdit edit = new BackendEdit(title, new JsonSettingsUpdate(settings.getAsJsonObject()), newId);
            return BackendViews.backend(backends.edit(backendId, edit), false);
        } catch (BackendOperationException e) {
            throw new ApiError(e.getMessage());
        }
    }
}
