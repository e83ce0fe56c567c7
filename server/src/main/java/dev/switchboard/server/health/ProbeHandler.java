package dev.switchboard.server.health;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.google.gson.JsonObject;
import dev.switchboard.server.http.ApiJson;
import dev.switchboard.server.http.GetOnlyResponses;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.StatusCodes;
import java.util.Map;

/**
 * {@code GET /healthz}: 200 {@code {"status":"ok"}} whenever the process answers. {@code GET /readyz}: 200 {@code
 * {"status":"ready", ...}} when ready, else 503 with the status, the reason and each check. Both JSON, {@code
 * HEAD} too, on the I/O thread (they only read a few flags).
 */
public final class ProbeHandler implements HttpHandler {
    public static final String HEALTH_PATH = "/healthz";
    public static final String READY_PATH = "/readyz";
    private static final byte[] HEALTHY = "{\"status\":\"ok\"}".getBytes(UTF_8);

    private final Readiness readiness;
    private final boolean readinessProbe;

    private ProbeHandler(Readiness readiness, boolean readinessProbe) {
        this.readiness = readiness;
        this.readinessProbe = readinessProbe;
    }

    /** @return the handlers of {@value #HEALTH_PATH} and {@value #READY_PATH}, by path */
    public static Map<String, HttpHandler> paths(Readiness readiness) {
        requireNonNull(readiness, "readiness is null");
        return Map.of(HEALTH_PATH, new ProbeHandler(readiness, false), READY_PATH, new ProbeHandler(readiness, true));
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        if (GetOnlyResponses.refusedUnlessGetOrHead(exchange)) {
            return;
        }
        byte[] body = HEALTHY;
        if (readinessProbe) {
            Readiness.State state = readiness.state();
            exchange.setStatusCode(state.ready() ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE);
            body = ApiJson.write(json(state)).getBytes(UTF_8);
        }
        GetOnlyResponses.send(exchange, "application/json", "no-store", body);
    }

    private static JsonObject json(Readiness.State state) {
        JsonObject json = new JsonObject();
        json.addProperty("status", state.status());
        if (!state.ready()) {
            json.addProperty("reason", state.reason());
        }
        JsonObject checks = new JsonObject();
        for (String name : new String[] {"store", "plugins", "http"}) {
            checks.addProperty(name, state.checks().get(name));
        }
        json.add("checks", checks);
        return json;
    }
}
