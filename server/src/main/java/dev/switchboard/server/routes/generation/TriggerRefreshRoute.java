package dev.switchboard.server.routes.generation;

import com.google.gson.JsonObject;
import dev.switchboard.server.backends.BackendOperations;
import dev.switchboard.server.http.ApiCall;
import dev.switchboard.server.http.ApiRoute;
import dev.switchboard.server.sessions.Permission;
import jakarta.inject.Inject;

/**
 * {@code TriggerRefresh} (also at {@code POST /TriggerRefresh} for OLD masters): a strong refresh has every
 * running generating backend read its engine's lists again; the answer is always the ListT2IParams object.
 */
final class TriggerRefreshRoute implements ApiRoute {
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
    public JsonObject handle(ApiCall call) {
        if (call.optionalBool("strong", true)) {
            backends.refreshModels();
        }
        return view.render();
    }
}
