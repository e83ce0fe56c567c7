package dev.switchboard.server.routes.generation;

import com.google.gson.JsonObject;
import dev.switchboard.server.backends.BackendOperations;
import dev.switchboard.server.http.ApiCall;
import dev.switchboard.server.http.ApiParam;
import dev.switchboard.server.http.ApiRoute;
import dev.switchboard.server.http.RouteDoc;
import dev.switchboard.server.sessions.Permission;
import jakarta.inject.Inject;

/**
 * {@code TriggerRefresh} (also at {@code POST /TriggerRefresh} for OLD masters): a strong refresh has every
 * running generating backend read its engine's lists again; the answer is always the ListT2IParams object.
 */
final class TriggerRefreshRoute implements ApiRoute {
    private static final ApiParam STRONG = ApiParam.optionalBool("strong", true,
            "Have every running generating backend read its engine's lists again; false only answers.");

    private final BackendOperations backends;
    private final T2IParamsView view;

    @Inject
    TriggerRefreshRoute(BackendOperations backends, T2IParamsView view) {
        this.backends = backends;
        this.view = view;
    }

    @Override
    public String name() {
        return "TriggerRefresh";
    }

    @Override
    public Permission permission() {
        return Permission.FUNDAMENTAL_GENERATE_TAB_ACCESS;
    }

    @Override
    public RouteDoc doc() {
        return RouteDoc.summary("Refreshes the backends' model and node lists (also at POST /TriggerRefresh for OLD"
                + " SwarmUI masters) and answers as ListT2IParams.")
                .params(STRONG).answers(T2IParamDocs.LIST_ANSWER);
    }

    @Override
    public JsonObject handle(ApiCall call) {
        if (STRONG.readBool(call)) {
            backends.refreshModels();
        }
        return view.render(call.session().orElseThrow().userId());
    }
}
