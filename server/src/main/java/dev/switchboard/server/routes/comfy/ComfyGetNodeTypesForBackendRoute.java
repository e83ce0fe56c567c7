package dev.switchboard.server.routes.comfy;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.switchboard.server.backends.BackendRegistry;
import dev.switchboard.server.backends.BackendSnapshot;
import dev.switchboard.server.http.ApiCall;
import dev.switchboard.server.http.ApiError;
import dev.switchboard.server.http.ApiField;
import dev.switchboard.server.http.ApiParam;
import dev.switchboard.server.http.ApiRoute;
import dev.switchboard.server.http.JsonType;
import dev.switchboard.server.http.RouteDoc;
import dev.switchboard.server.sessions.Permission;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.TreeSet;

/**
 * {@code ComfyGetNodeTypesForBackend} (generation.md 1.2, 5.4): the node types of one ComfyUI backend, which a
 * SwarmUI master stores per child and uses to refuse custom workflows a backend cannot run.
 */
final class ComfyGetNodeTypesForBackendRoute implements ApiRoute {
    private static final ApiParam BACKEND = ApiParam.requiredInt("backend", "The ComfyUI backend's id.");

    private final BackendRegistry backends;

    @Inject
    ComfyGetNodeTypesForBackendRoute(BackendRegistry backends) {
        this.backends = backends;
    }

    @Override
    public String name() {
        return "ComfyGetNodeTypesForBackend";
    }

    @Override
    public Permission permission() {
        return Permission.FUNDAMENTAL_GENERATE_TAB_ACCESS;
    }

    @Override
    public RouteDoc doc() {
        return RouteDoc.summary("The node types one ComfyUI backend reported, which a SwarmUI master uses to refuse"
                + " workflows the backend cannot run.")
                .params(BACKEND)
                .answers(ApiField.of("node_types", JsonType.ARRAY, "The node type names, sorted."));
    }

    @Override
    public JsonObject handle(ApiCall call) {
        int id = BACKEND.readInt(call);
        Optional<BackendSnapshot> backend = backends.find(id).filter(ComfyBackends::isComfy);
        if (backend.isEmpty()) {
            throw new ApiError("Unknown backend ID or not a ComfyUI backend.");
        }
        JsonArray types = new JsonArray();
        new TreeSet<>(backend.get().nodeTypes()).forEach(types::add);
        JsonObject result = new JsonObject();
        result.add("node_types", types);
        return result;
    }
}
