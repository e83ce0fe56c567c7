package dev.switchboard.server.routes.comfy;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.switchboard.server.backends.BackendRegistry;
import dev.switchboard.server.backends.BackendSnapshot;
import dev.switchboard.server.http.ApiJson;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

/**
 * {@code GET /ComfyBackendDirect/object_info} (generation.md 5.4): what a SwarmUI master reads when it creates a
 * child for one of our ComfyUI backends ({@code X-Swarm-Backend-ID}; without it, the first running one): the
 * backend's node types, and for the samplers the lists Switchboard accepts, so the master learns our sampler and
 * scheduler names. Always a JSON object, errors included (a master parses whatever comes). Other
 * {@code /ComfyBackendDirect/} paths (SwarmUI's embedded editor's proxy) answer a JSON error.
 */
public final class ComfyBackendDirectHandler implements HttpHandler {
    private static final String PREFIX = "/comfybackenddirect/";
    private static final String OBJECT_INFO = PREFIX + "object_info";
    private final BackendRegistry backends;
    private final List<String> samplers;
    private final List<String> schedulers;
    private final HttpHandler next;

    /**
     * @param samplers the sampler names generation accepts
     * @param schedulers the scheduler names generation accepts
     * @param next where every other path goes
     */
    public ComfyBackendDirectHandler(BackendRegistry backends, List<String> samplers, List<String> schedulers,
                                     HttpHandler next) {
        this.backends = backends;
        this.samplers = List.copyOf(samplers);
        this.schedulers = List.copyOf(schedulers);
        this.next = next;
    }

    /** @return whether a request path is one this handler answers ({@code /ComfyBackendDirect/...}, any case) */
    public static boolean isItsPath(String path) {
        return path.toLowerCase(Locale.ROOT).startsWith(PREFIX);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String path = exchange.getRequestPath().toLowerCase(Locale.ROOT);
        if (!path.startsWith(PREFIX)) {
            next.handleRequest(exchange);
            return;
        }
        JsonObject answer;
        int status = StatusCodes.OK;
        if (!path.equals(OBJECT_INFO)) {
            answer = error("Switchboard does not proxy ComfyUI's own paths; only object_info is served here.");
            status = StatusCodes.NOT_FOUND;
        } else {
            Optional<BackendSnapshot> backend = chosen(exchange.getRequestHeaders().getFirst("X-Swarm-Backend-ID"));
            answer = backend.isPresent() ? objectInfo(backend.get())
                    : error("Unknown backend ID or not a ComfyUI backend.");
        }
        byte[] body = ApiJson.write(answer).getBytes(StandardCharsets.UTF_8);
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, body.length);
        exchange.getResponseSender().send(ByteBuffer.wrap(body));
    }

    private Optional<BackendSnapshot> chosen(String header) {
        if (header == null || header.isBlank()) {
            return backends.list(true).stream().filter(ComfyBackends::runningComfy).findFirst();
        }
        try {
            return backends.find(Integer.parseInt(header.trim())).filter(ComfyBackends::isComfy);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private JsonObject objectInfo(BackendSnapshot backend) {
        JsonObject info = new JsonObject();
        for (String type : new TreeSet<>(backend.nodeTypes())) {
            JsonObject node = new JsonObject();
            node.addProperty("name", type);
            JsonObject input = new JsonObject();
            JsonObject required = new JsonObject();
            if (type.equals("KSampler") || type.equals("KSamplerAdvanced")) {
                required.add("sampler_name", options(samplers));
                required.add("scheduler", options(schedulers));
            }
            input.add("required", required);
            node.add("input", input);
            node.add("output", new JsonArray());
            info.add(type, node);
        }
        return info;
    }

    private static JsonArray options(List<String> names) {
        JsonArray values = new JsonArray();
        names.forEach(values::add);
        JsonArray option = new JsonArray();
        option.add(values);
        return option;
    }

    private static JsonObject error(String message) {
        JsonObject json = new JsonObject();
        json.addProperty("error", message);
        return json;
    }
}
