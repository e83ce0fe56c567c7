package dev.switchboard.server.routes.generation;

import com.google.gson.JsonObject;
import dev.switchboard.server.http.ApiCall;
import dev.switchboard.server.http.ApiRoute;
import dev.switchboard.server.http.RouteDoc;
import dev.switchboard.server.sessions.Permission;
import jakarta.inject.Inject;

/** {@code GetCurrentStatus}: the session's job counters, the backends' aggregate status and their features. */
final class GetCurrentStatusRoute implements ApiRoute {
    private final CurrentStatus status;

    @Inject
    GetCurrentStatusRoute(CurrentStatus status) {
        this.status = status;
    }

    @Override
    public String name() {
        return "GetCurrentStatus";
    }

    @Override
    public Permission permission() {
        return Permission.FUNDAMENTAL_GENERATE_TAB_ACCESS;
    }

    /** Counters and snapshots only: no plugin call, no waiting. */
    @Override
    public boolean quick() {
        return true;
    }

    @Override
    public RouteDoc doc() {
        return RouteDoc.summary("The session's generation counters, the image backends' aggregate status and the"
                + " features of the enabled backends that are not idle.")
                .answers(T2IParamDocs.STATUS_ANSWER);
    }

    @Override
    public JsonObject handle(ApiCall call) {
        return status.of(call.session().orElseThrow().id());
    }
}
