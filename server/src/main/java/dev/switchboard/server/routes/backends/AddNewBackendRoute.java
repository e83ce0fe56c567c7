package dev.switchboard.server.routes.backends;

import com.google.gson.JsonObject;
import dev.switchboard.server.backends.BackendOperationException;
import dev.switchboard.server.backends.BackendOperations;
import dev.switchboard.server.http.ApiCall;
import dev.switchboard.server.http.ApiError;
import dev.switchboard.server.http.ApiParam;
import dev.switchboard.server.http.ApiRoute;
import dev.switchboard.server.http.RouteDoc;
import dev.switchboard.server.sessions.Permission;
import jakarta.inject.Inject;

/** {@code AddNewBackend}: adds a backend of a type with default settings; answers with its view. */
final class AddNewBackendRoute implements ApiRoute {
    private static final ApiParam TYPE_ID = ApiParam.requiredString("type_id",
            "The backend type's id, as ListBackendTypes lists it (exact, case-sensitive).");

    private final BackendOperations backends;
    private final SettingsLock lock;

    @Inject
    AddNewBackendRoute(BackendOperations backends, SettingsLock lock) {
        this.backends = backends;
        this.lock = lock;
    }

    @Override
    public String name() {
        return "AddNewBackend";
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
        return RouteDoc.summary("Adds a backend of the type with its default settings (saved to disk before the"
                + " answer) and starts it; refused while settings are locked.")
                .params(TYPE_ID).answers(BackendViews.FIELDS);
    }

    @Override
    public JsonObject handle(ApiCall call) {
        String typeId = TYPE_ID.readString(call);
        lock.check();
        try {
            JsonObject added = BackendViews.backend(backends.add(typeId), false);
            call.auditTarget(added.get("id").getAsString());
            return added;
        } catch (BackendOperationException e) {
            throw new ApiError(e.getMessage());
        }
    }
}
