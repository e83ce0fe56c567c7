package dev.switchboard.server.routes.backends;

import com.google.gson.JsonObject;
import dev.switchboard.server.backends.BackendOperations;
import dev.switchboard.server.backends.FreeMemoryResult;
import dev.switchboard.server.http.ApiCall;
import dev.switchboard.server.http.ApiField;
import dev.switchboard.server.http.ApiParam;
import dev.switchboard.server.http.ApiRoute;
import dev.switchboard.server.http.JsonType;
import dev.switchboard.server.http.RouteDoc;
import dev.switchboard.server.sessions.Permission;
import jakarta.inject.Inject;

/**
 * {@code FreeBackendMemory}: asks running backends to free VRAM (and RAM with {@code system_ram}). Not
 * gated by the settings lock. {@code count} is the number of backends that freed memory (SwarmUI CUR).
 */
final class FreeBackendMemoryRoute implements ApiRoute {
    private static final ApiParam SYSTEM_RAM = ApiParam.optionalBool("system_ram", false,
            "Also free system memory, not only VRAM.");
    private static final ApiParam BACKEND = ApiParam.optionalString("backend", "all",
            "A backend id, or all for every running backend.");

    private final BackendOperations backends;

    @Inject
    FreeBackendMemoryRoute(BackendOperations backends) {
        this.backends = backends;
    }

    @Override
    public String name() {
        return "FreeBackendMemory";
    }

    /** Changes backends: recorded in the audit log. */
    @Override
    public boolean audited() {
        return true;
    }

    @Override
    public Permission permission() {
        return Permission.CONTROL_MEM_CLEAN;
    }

    @Override
    public RouteDoc doc() {
        return RouteDoc.summary("Asks the selected running backends to free VRAM (and system RAM with system_ram);"
                + " allowed while settings are locked.")
                .params(SYSTEM_RAM, BACKEND)
                .answers(ApiField.of("result", JsonType.BOOLEAN, "Whether any backend was asked."),
                        ApiField.of("count", JsonType.INTEGER, "How many backends freed memory."));
    }

    @Override
    public JsonObject handle(ApiCall call) {
        boolean systemRam = SYSTEM_RAM.readBool(call);
        String selector = BACKEND.readString(call);
        FreeMemoryResult freed = backends.freeMemory(selector, systemRam);
        JsonObject result = new JsonObject();
        result.addProperty("result", freed.anyTargeted());
        result.addProperty("count", freed.freed());
        return result;
    }
}
