package dev.switchboard.server.routes.models;

import com.google.gson.JsonObject;
import dev.switchboard.api.BackendStatus;
import dev.switchboard.api.generation.ModelType;
import dev.switchboard.server.backends.BackendOperations;
import dev.switchboard.server.backends.BackendRegistry;
import dev.switchboard.server.backends.BackendSnapshot;
import dev.switchboard.server.dispatch.ModelNames;
import dev.switchboard.server.generation.ModelCatalog;
import dev.switchboard.server.http.ApiCall;
import dev.switchboard.server.http.ApiError;
import dev.switchboard.server.http.ApiField;
import dev.switchboard.server.http.ApiParam;
import dev.switchboard.server.http.ApiRoute;
import dev.switchboard.server.http.JsonType;
import dev.switchboard.server.http.RouteDoc;
import dev.switchboard.server.limits.UserLimits;
import dev.switchboard.server.sessions.Permission;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;

/**
 * {@code SelectModel} (generation.md 5.2 #2): with {@code backendId} (integer or text, possibly negative) that
 * backend must be running, generating and list the model, else {@code Model failed to load.}: the lever that routes
 * a master around backends that lack a model. Without it every eligible backend records the model. The model is
 * recorded as the backend's current one; the engine loads it with the next job that names it.
 */
final class SelectModelRoute implements ApiRoute {
    private static final ApiParam MODEL = ApiParam.requiredString("model", "The model's name, as ListModels lists it.");
    private static final ApiParam BACKEND_ID = ApiParam.optionalString("backendId", "",
            "Only this backend (its id as text); empty for every running backend that lists the model.");

    private final ModelCatalog models;
    private final BackendRegistry registry;
    private final BackendOperations operations;
    private final UserLimits limits;

    @Inject
    SelectModelRoute(ModelCatalog models, BackendRegistry registry, BackendOperations operations,
                     UserLimits limits) {
        this.limits = limits;
        this.models = models;
        this.registry = registry;
        this.operations = operations;
    }

    @Override
    public String name() {
        return "SelectModel";
    }

    /** Loads a model on backends: recorded in the audit log. */
    @Override
    public boolean audited() {
        return true;
    }

    @Override
    public Permission permission() {
        return Permission.LOAD_MODELS_NOW;
    }

    @Override
    public RouteDoc doc() {
        return RouteDoc.summary("Records the model as the current one of the running backends that list it (or of"
                + " backendId alone); the engine loads it with the next job. The error is \"Model failed to load.\" when"
                + " none could.")
                .params(MODEL, BACKEND_ID)
                .answers(ApiField.of("success", JsonType.BOOLEAN, "Always true."));
    }

    @Override
    public JsonObject handle(ApiCall call) {
        String model = MODEL.readString(call).trim();
        String backendId = BACKEND_ID.readString(call).trim();
        if (model.isEmpty()) {
            throw new ApiError("Invalid empty name.");
        }
        List<String> known = models.list(ModelType.STABLE_DIFFUSION).stream().map(ModelCatalog.Entry::name).toList();
        Optional<String> resolved = ModelNames.resolve(model, known);
        // A model the caller's roles hide is "not found" to them, as ListModels does not list it.
        String user = call.session().orElseThrow().userId();
        if (resolved.isEmpty() || !limits.mayUseModel(user, resolved.get())) {
            throw new ApiError("Model not found.");
        }
        boolean any = false;
        for (BackendSnapshot backend : registry.list(true)) {
            if (!backendId.isEmpty() && !Integer.toString(backend.id()).equals(normalized(backendId))) {
                continue;
            }
            if (!backend.generates() || backend.status() != BackendStatus.RUNNING) {
                continue;
            }
            Optional<String> listed = ModelNames.resolve(model,
                    backend.models().getOrDefault(ModelType.STABLE_DIFFUSION, List.of()));
            if (listed.isPresent() && operations.selectModel(backend.id(), listed.get())) {
                any = true;
            }
        }
        if (!any) {
            throw new ApiError("Model failed to load.");
        }
        JsonObject result = new JsonObject();
        result.addProperty("success", true);
        return result;
    }

    /** {@code "+3"} and {@code " 3 "} name backend 3, as SwarmUI's number text does. */
    private static String normalized(String id) {
        try {
            return Integer.toString(Integer.parseInt(id.startsWith("+") ? id.substring(1) : id));
        } catch (NumberFormatException e) {
            return id;
        }
    }
}
