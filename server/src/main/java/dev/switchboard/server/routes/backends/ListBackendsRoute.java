package dev.switchboard.server.routes.backends;

import com.google.gson.JsonObject;
import dev.switchboard.server.backends.BackendRegistry;
import dev.switchboard.server.backends.BackendSnapshot;
import dev.switchboard.server.http.ApiCall;
import dev.switchboard.server.http.ApiRoute;
import dev.switchboard.server.http.JsonText;
import dev.switchboard.server.sessions.Permission;
import jakarta.inject.Inject;

/** {@code ListBackends}: the backends keyed by id, in ascending id order. */
final class ListBackendsRoute implements ApiRoute {
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
    public JsonObject handle(ApiCall call) {
        boolean nonReal = call.optionalBool("nonreal", false);
        boolean fullData = call.optionalBool("full_data", false);
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
        return answers.answer(call.optionalBool("nonreal", false), call.optionalBool("full_data", false));
    }
}
