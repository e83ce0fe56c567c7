package dev.switchboard.server.routes.generation;

import com.google.gson.JsonObject;
import dev.switchboard.server.http.ApiCall;
import dev.switchboard.server.http.ApiRoute;
import dev.switchboard.server.http.RouteDoc;
import dev.switchboard.server.sessions.Permission;
import jakarta.inject.Inject;

/**
 * {@code ListT2IParams}: the parameters Switchboard accepts, with its defaults, and the models it knows that the
 * user may use.
 */
final class ListT2IParamsRoute implements ApiRoute {
    private final T2IParamsView view;

    @Inject
    ListT2IParamsRoute(T2IParamsView view) {
        this.view = view;
    }

    @Override
    public String name() {
        return "ListT2IParams";
    }

    @Override
    public Permission permission() {
        return Permission.FUNDAMENTAL_GENERATE_TAB_ACCESS;
    }

    @Override
    public RouteDoc doc() {
        return RouteDoc.summary("The text-to-image parameters Switchboard accepts, with their defaults and ranges,"
                + " and the models the backends listed that the user's roles allow.")
                .answers(T2IParamDocs.LIST_ANSWER);
    }

    @Override
    public JsonObject handle(ApiCall call) {
        return view.render(call.session().orElseThrow().userId());
    }
}
