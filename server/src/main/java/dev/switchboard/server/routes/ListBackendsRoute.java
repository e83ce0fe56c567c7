package dev.switchboard.server.routes;

import com.google.gson.JsonObject;
import dev.switchboard.server.backends.BackendService;
import dev.switchboard.server.backends.BackendSnapshot;
import dev.switchboard.server.http.ApiCall;
import dev.switchboard.server.http.ApiRoute;
import dev.switchboard.server.http.JsonText;
import jakarta.inject.Inject;

/** {@code ListBackends}: the backends keyed by id, in ascending id order. */
final class ListBackendsRoute implements ApiRoute {
    private final BackendService backends;
    private final BackendListText text = new BackendListText();

    @Inject
    ListBackendsRoute(BackendService backends) {
        this.backends = backends;
    }

    @Override
    public String name() {
        return "ListBackends";
    }

    @Override
    public String permission() {
        return Permissions.VIEW_BACKENDS_LIST;
    }

    @Override
    public JsonObject handle(ApiCall call) {
        boolean nonReal = call.optionalBool("nonreal", false);
        boolean fullData = call.optionalBool("full_data", false);
        JsonObject result = new JsonObject();
        for (BackendSnapshot backend : backends.list(nonReal)) {
            result.add(Integer.toString(backend.id()), BackendViews.backend(backend, fullData));
        }
        return result;
    }

    /** Copies snapshots and cached text only; ten thousand backends take a few milliseconds. */
    @Override
    public boolean quick() {
        return true;
    }

    /** The same answer as {@link #handle}, from views kept as text while their backend is unchanged. */
    @Override
    public JsonText handleToJson(ApiCall call) {
        boolean nonReal = call.optionalBool("nonreal", false);
        boolean fullData = call.optionalBool("full_data", false);
        return text.write(backends.list(nonReal), fullData);
    }
}
