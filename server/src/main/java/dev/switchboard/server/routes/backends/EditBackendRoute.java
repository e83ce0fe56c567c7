package dev.switchboard.server.routes.backends;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.switchboard.server.backends.BackendEdit;
import dev.switchboard.server.backends.BackendOperationException;
import dev.switchboard.server.backends.BackendOperations;
import dev.switchboard.server.http.ApiCall;
import dev.switchboard.server.http.ApiError;
import dev.switchboard.server.http.ApiParam;
import dev.switchboard.server.http.ApiRoute;
import dev.switchboard.server.http.JsonType;
import dev.switchboard.server.http.RouteDoc;
import dev.switchboard.server.sessions.Permission;
import jakarta.inject.Inject;

/**
 * {@code EditBackend}: replaces the title and the given settings, optionally re-keys the backend
 * ({@code new_id}), and restarts it. The settings come from the top-level {@code settings} key (SwarmUI's
 * documented {@code raw_inp} is its name for the whole body).
 */
final class EditBackendRoute implements ApiRoute {
    private static final ApiParam BACKEND_ID = ApiParam.requiredInt("backend_id", "The backend's id.");
    private static final ApiParam TITLE = ApiParam.requiredString("title",
            "The new title; empty shows the type's name.");
    private static final ApiParam NEW_ID = ApiParam.optionalInt("new_id", -1,
            "A new id for the backend (an unused, non-negative one); -1 keeps the id.");
    private static final ApiParam SETTINGS = new ApiParam("settings", JsonType.OBJECT, true, null,
            "The settings to change, by name, with values as ListBackendTypes describes them; settings not given keep"
                    + " their values, and a secret sent back as its placeholder keeps the stored secret.");

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

    /** Changes backends: recorded in the audit log. */
    @Override
    public boolean audited() {
        return true;
    }

    @Override
    public Permission permission() {
        return Permission.EDIT_BACKENDS;
    }

    @Override
    public RouteDoc doc() {
        return RouteDoc.summary("Validates and saves a backend's title and settings (all or nothing), optionally"
                + " gives it a new id, and restarts it; refused while settings are locked.")
                .params(BACKEND_ID, TITLE, NEW_ID, SETTINGS).answers(BackendViews.FIELDS);
    }

    @Override
    public JsonObject handle(ApiCall call) {
        int backendId = BACKEND_ID.readInt(call);
        String title = TITLE.readString(call);
        int newId = NEW_ID.readInt(call);
        lock.check();
        JsonElement settings = call.bodyWithoutSessionId().get(SETTINGS.name());
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
