package dev.switchboard.server.routes.backends;

import com.google.gson.JsonObject;
import dev.switchboard.server.backends.BackendOperations;
import dev.switchboard.server.backends.FreeMemoryResult;
import dev.switchboard.server.http.ApiCall;
import dev.switchboard.server.http.ApiRoute;
import dev.switchboard.server.sessions.Permission;
import jakarta.inject.Inject;

/**
 * {@code FreeBackendMemory}: asks running backends to free VRAM (and RAM with {@code system_ram}). Not
 * gated by the settings lock. {@code count} is the number of backends that freed memory (SwarmUI CUR).
 */
final class FreeBackendMemoryRoute implements ApiRoute {
    private final BackendOperations backends;

    @Inject
    FreeBackendMemoryRoute(BackendOperations backends) {
        this.backends = backends;
    }

    @Override
    public String name() {
        return "FreeBackendMemory";
    }

    @Override
    public Permission permission() {
        return Permission.CONTROL_MEM_CLEAN;
    }

    @Override
    public JsonObject handle(ApiCall call) {
        boolean systemRam = call.optionalBool("system_ram", false);
        String selector = call.optionalString("backend", "all");
        FreeMemoryResult freed = backends.freeMemory(selector, systemRam);
        JsonObject result = new JsonObject();
        result.addProperty("result", freed.anyTargeted());
        result.addProperty("count", freed.freed());
        return result;
    }
}
