package dev.switchboard.server.routes.backends;

import com.google.gson.JsonObject;
import dev.switchboard.server.backends.BackendRegistry;
import dev.switchboard.server.backends.BackendSnapshot;
import dev.switchboard.server.http.ApiCall;
import dev.switchboard.server.http.ApiField;
import dev.switchboard.server.http.ApiParam;
import dev.switchboard.server.http.ApiRoute;
import dev.switchboard.server.http.JsonText;
import dev.switchboard.server.http.JsonType;
import dev.switchboard.server.http.RouteDoc;
import dev.switchboard.server.sessions.Permission;
import jakarta.inject.Inject;

/** {@code ListBackends}: the backends keyed by id, in ascending id order. */
final class ListBackendsRoute implements ApiRoute {
    private static final ApiParam NON_REAL = ApiParam.optionalBool("nonreal", false,
            "Also list non-real children (negative ids, with parent_id).");
    private static final ApiParam FULL_DATA = ApiParam.optionalBool("full_data", false,
            "Add current_model and usages to the views of image backends.");

    private final BackendRegistry backends;
    private final BackendListAnswers answers;

    @Inject
    ListBackendsRoute(BackendRegistry backends) {
        this.backends = backends;
        this.answers = new BackendListAnswers(backends);
    }

    @Override
    public String name() {
        return "ListBackends";
    }

    @Override
    public Permission permission() {
        return Permission.VIEW_BACKENDS_LIST;
    }

    @Override
    public RouteDoc doc() {
        return RouteDoc.summary("The backends keyed by id, in ascending id order, each with its status and the"
                + " status_message saying why.")
                .params(NON_REAL, FULL_DATA)
                .answers(ApiField.of("<id>", JsonType.OBJECT, "One backend view per backend: type, status, id,"
                        + " settings (secrets masked), modcount, features, enabled, title, max_usages,"
                        + " seconds_since_used, time_since_used, can_load_models, current_model and usages (with"
                        + " full_data), status_message, parent_id (non-real children)."));
    }

    @Override
    public JsonObject handle(ApiCall call) {
        boolean nonReal = NON_REAL.readBool(call);
        boolean fullData = FULL_DATA.readBool(call);
        JsonObject result = new JsonObject();
        for (BackendSnapshot backend : backends.list(nonReal)) {
            result.add(Integer.toString(backend.id()), BackendViews.backend(backend, fullData));
        }
        return result;
    }

    /** Answers kept text, or copies snapshots and cached views: ten thousand backends take a few milliseconds. */
    @Override
    public boolean quick() {
        return true;
    }

    /** The same answer as {@link #handle}, kept as text while nothing it shows has changed. */
    @Override
    public JsonText handleToJson(ApiCall call) {
        return answers.answer(NON_REAL.readBool(call), FULL_DATA.readBool(call));
    }
}
