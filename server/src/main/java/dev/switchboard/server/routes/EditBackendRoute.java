package dev.switchboard.server.routes;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.switchboard.server.backends.BackendOperationException;
import dev.switchboard.server.backends.BackendService;
import dev.switchboard.server.http.ApiCall;
import dev.switchboard.server.http.ApiError;
import dev.switchboard.server.http.ApiRoute;
import jakarta.inject.Inject;

/**
 * {@code EditBackend}: replaces the title and the given settings, optionally re-keys the backend
 * ({@code new_id}), and restarts it. The settings come from the top-level {@code settings} key (SwarmUI's
 * documented {@code raw_inp} is its name for the whole body).
 */
final class EditBackendRoute implements ApiRoute {
    private final BackendService backends;
    private final SettingsLock lock;

    @Inject
    EditBackendRoute(BackendService backends, SettingsLock lock) {
        this.backends = backends;
        this.lock = lock;
    }

    @Override
    public String name() {
        return "EditBackend";
    }

    @Override
    public String permission() {
        return Permissions.EDIT_BACKENDS;
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
            return BackendViews.backend(backends.edit(backendId, title, settings.getAsJsonObject(), newId), false);
        } catch (BackendOperationException e) {
            throw new ApiError(e.getMessage());
        }
    }
}
