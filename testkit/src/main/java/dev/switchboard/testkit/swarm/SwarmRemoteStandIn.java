package dev.switchboard.testkit.swarm;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A current (2026) SwarmUI server used as a remote, on a real port of 127.0.0.1: the calls a master makes on its
 * remote (generation.md 1.2) — {@code GetNewSession}, {@code ListBackends}, {@code ListModels},
 * {@code TriggerRefresh}, {@code SelectModel} (per backend), {@code InterruptAll} (per session),
 * {@code FreeBackendMemory}, {@code ComfyGetNodeTypesForBackend}, {@code GenerateText2Image} and the WebSocket
 * {@code GenerateText2ImageWS} with SwarmUI's messages (status, {@code gen_progress} with a preview,
 * {@code raw_swarm_data} before each {@code image} data URL, {@code keep_alive}, {@code discard_indices}, a close
 * frame). How generations behave is switched while it runs ({@link #generations}): normally, failing with a
 * SwarmUI error, held until interrupted, silent, dropped mid-way, closed without an image. Every call is recorded
 * with its headers (WebSocket upgrades too, with the request message as the body). Sessions are in memory;
 * {@link #forgetSessions()} acts like a restart. HTTP/1.1 with one exchange per connection; the WebSocket side is
 * RFC 6455 without extensions. Its threads come from {@link dev.switchboard.testkit.contract.StandInThreads}.
 * Thread-safe; close it to free the port.
 */
public final class SwarmRemoteStandIn implements AutoCloseable {
    /** How the stand-in's generations behave. */
    public enum Behaviour {
        /** Progress steps with a preview, then for each image of the batch raw_swarm_data and the image, then close. */
        NORMAL,
        /** {@code {"error": <failure>}} then a close frame (HTTP: the error as the answer). */
        FAIL,
        /** One progress message, then nothing until the session is interrupted or the client goes. */
        HOLD,
        /** Nothing at all after the request, pings answered (a quiet but live remote). */
        SILENT,
        /** Nothing at all after the request, not even pongs (a remote that hangs). */
        DEAF,
        /** One progress message, then the TCP connection dropped without a close frame. */
        DROP,
        /** A status message, then a close frame without any image. */
        NO_IMAGES,
        /** raw_swarm_data and an {@code image} that is a file path, not a data URL. */
        NOT_DATA_URL
    }

    /**
     * One backend the stand-in lists.
     *
     * @param id its id
     * @param type its type id, e.g. {@code comfyui_api}
     * @param status its status, e.g. {@code running}
     * @param title its title
     * @param features its features
     * @param maxUsages its {@code max_usages}
     * @param currentModel its {@code current_model}, or null
     */
    public record Backend(int id, String type, String status, String title, List<String> features, int maxUsages,
                          String currentModel) {
        /** Checks the fields. */
        public Backend {
            requireNonNull(type, "type is null");
            requireNonNull(status, "status is null");
            requireNonNull(title, "title is null");
            features = List.copyOf(features);
        }
    }

    /**
     * One request the stand-in received.
     *
     * @param route the route, as in the path (also {@code GenerateText2ImageWS} for a WebSocket)
     * @param headers the request headers, names lower-case, first value each
     * @param body the JSON body (for a WebSocket: its request message; an empty object when it was not JSON)
     */
    public record Call(String route, Map<String, String> headers, JsonObject body) {
    }

    private final Object lock = new Object();
    private final StandInGenerations generations = new StandInGenerations(this::calledWebSocket);

    // All guarded by lock.
    private final Set<String> sessions = new HashSet<>();
    private final Map<Integer, Backend> backends = new LinkedHashMap<>();
    private final Map<String, List<String>> models = new LinkedHashMap<>();
    private final Map<Integer, List<String>> nodeTypes = new LinkedHashMap<>();
    private final List<Call> calls = new ArrayList<>();
    private final Map<String, String> routeErrors = new LinkedHashMap<>();
    private String serverId = UUID.randomUUID().toString();
    private final StandInServer server;

    private SwarmRemoteStandIn() {
        server = new StandInServer(new StandInServer.Handler() {
            @Override
            public StandInServer.Answer post(String path, Map<String, String> headers, JsonObject body) {
                return route(path, headers, body);
            }

            @Override
            public void converse(WebSocketPeer peer, Map<String, String> headers, String path) throws IOException {
                generations.converse(peer, headers, path, SwarmRemoteStandIn.this::sessionKnown);
            }
        });
    }

    /**
     * Starts a stand-in on a free port of 127.0.0.1, listing no backends and no models.
     *
     * @return the running stand-in
     */
    public static SwarmRemoteStandIn start() {
        return new SwarmRemoteStandIn();
    }

    /** @return the address to configure, e.g. {@code http://127.0.0.1:41234} */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    /**
     * Adds or replaces a listed backend.
     *
     * @param backend the backend
     */
    public void putBackend(Backend backend) {
        synchronized (lock) {
            backends.put(backend.id(), backend);
        }
    }

    /**
     * Sets the models {@code ListModels} answers for a sub-type; {@code SelectModel} and generations check main
     * models against {@code Stable-Diffusion}'s.
     *
     * @param subtype e.g. {@code Stable-Diffusion}
     * @param names the file names, e.g. {@code sdxl/base.safetensors}
     */
    public void models(String subtype, List<String> names) {
        synchronized (lock) {
            models.put(subtype, List.copyOf(names));
        }
    }

    /**
     * Sets what {@code ComfyGetNodeTypesForBackend} answers for a backend (others get SwarmUI's error).
     *
     * @param backendId the backend
     * @param types its node types
     */
    public void nodeTypes(int backendId, List<String> types) {
        synchronized (lock) {
            nodeTypes.put(backendId, List.copyOf(types));
        }
    }

    /**
     * Makes every call of a route answer {@code {"error": <message>}} (HTTP 200, as SwarmUI does).
     *
     * @param route e.g. {@code SelectModel}
     * @param message the error, or null to answer normally again
     */
    public void failRoute(String route, String message) {
        synchronized (lock) {
            if (message == null) {
                routeErrors.remove(route.toLowerCase(Locale.ROOT));
            } else {
                routeErrors.put(route.toLowerCase(Locale.ROOT), message);
            }
        }
    }

    /**
     * Switches how generations (WebSocket and HTTP) behave from now on.
     *
     * @param behaviour the behaviour
     * @param failure the error text for {@link Behaviour#FAIL}; ignored otherwise
     * @param stepTime the time per progress step of {@link Behaviour#NORMAL} (three steps)
     */
    public void generations(Behaviour behaviour, String failure, Duration stepTime) {
        generations.set(behaviour, failure, stepTime);
    }

    /** Acts like a restart: every session is forgotten and the server id changes. */
    public void forgetSessions() {
        synchronized (lock) {
            sessions.clear();
            serverId = UUID.randomUUID().toString();
        }
    }

    /** @return every request received so far, oldest first */
    public List<Call> calls() {
        synchronized (lock) {
            return List.copyOf(calls);
        }
    }

    /**
     * Returns the requests received for one route.
     *
     * @param route e.g. {@code InterruptAll}
     * @return those requests, oldest first
     */
    public List<Call> calls(String route) {
        return calls().stream().filter(call -> call.route().equalsIgnoreCase(route)).toList();
    }

    /** @return how many generation WebSockets are open now */
    public int openSockets() {
        return generations.open();
    }

    /** @return how many generations have ended because their session was interrupted or their client went away */
    public int stoppedGenerations() {
        return generations.stopped();
    }

    @Override
    public void close() {
        server.close();
        generations.close();
    }

    private StandInServer.Answer route(String path, Map<String, String> headers, JsonObject body) {
        JsonObject[] answer = {null};
        if (!path.startsWith("/API/")) {
            return new StandInServer.Answer(404, StandInJson.error("Unknown path."));
        }
        String route = path.substring("/API/".length());
        String lower = route.toLowerCase(Locale.ROOT);
        synchronized (lock) {
            calls.add(new Call(route, headers, body));
            if (lower.equals("getnewsession")) {
                return new StandInServer.Answer(200, newSession());
            }
            if (!sessionKnown(body)) {
                return new StandInServer.Answer(401, StandInJson.invalidSession());
            }
            if (routeErrors.containsKey(lower)) {
                return new StandInServer.Answer(200, StandInJson.error(routeErrors.get(lower)));
            }
            switch (lower) {
                case "listbackends" -> answer[0] = listBackends(body);
                case "listmodels" -> answer[0] = listModels(body);
                case "triggerrefresh" -> answer[0] = StandInJson.success();
                case "selectmodel" -> answer[0] = selectModel(body);
                case "freebackendmemory" -> answer[0] = StandInJson.freeMemory();
                case "comfygetnodetypesforbackend" -> answer[0] = nodeTypesOf(body);
                case "interruptall" -> {
                    generations.interrupt(StandInJson.text(body.get("session_id")));
                    answer[0] = StandInJson.success();
                }
                case "generatetext2image" -> {
                    answer[0] = null;
                }
                default -> answer[0] = StandInJson.error("Unknown API route '" + route + "'");
            }
        }
        if (answer[0] == null) {
            // Outside the lock: a held generation waits for an InterruptAll, which needs it.
            answer[0] = generations.overHttp(body);
        }
        return new StandInServer.Answer(200, answer[0]);
    }

    private void calledWebSocket(String route, Map<String, String> headers, JsonObject body) {
        synchronized (lock) {
            calls.add(new Call(route, headers, body));
        }
    }

    private boolean sessionKnown(JsonObject body) {
        synchronized (lock) {
            return sessions.contains(StandInJson.text(body.get("session_id")));
        }
    }

    private JsonObject newSession() {
        String session = UUID.randomUUID().toString().replace("-", "");
        sessions.add(session);
        JsonObject answer = new JsonObject();
        answer.addProperty("session_id", session);
        answer.addProperty("user_id", "local");
        answer.addProperty("output_append_user", true);
        answer.addProperty("version", "0.9.7.0");
        answer.addProperty("server_id", serverId);
        answer.add("permissions", new JsonArray());
        return answer;
    }

    private JsonObject listBackends(JsonObject body) {
        boolean full = body.has("full_data") && body.get("full_data").getAsBoolean();
        JsonObject answer = new JsonObject();
        for (Backend backend : backends.values()) {
            JsonObject view = new JsonObject();
            view.addProperty("type", backend.type());
            view.addProperty("status", backend.status());
            view.addProperty("id", backend.id());
            view.add("settings", new JsonObject());
            view.addProperty("modcount", 0);
            JsonArray features = new JsonArray();
            backend.features().forEach(features::add);
            view.add("features", features);
            view.addProperty("enabled", true);
            view.addProperty("title", backend.title());
            view.addProperty("max_usages", backend.maxUsages());
            view.addProperty("can_load_models", true);
            if (full) {
                view.add("current_model", backend.currentModel() == null ? JsonNull.INSTANCE
                        : new com.google.gson.JsonPrimitive(backend.currentModel()));
            }
            answer.add(Integer.toString(backend.id()), view);
        }
        return answer;
    }

    private JsonObject listModels(JsonObject body) {
        JsonArray files = new JsonArray();
        for (String name : models.getOrDefault(StandInJson.text(body.get("subtype")), List.of())) {
            JsonObject file = new JsonObject();
            file.addProperty("name", name);
            file.addProperty("title", name);
            file.addProperty("description", "");
            file.add("preview_image", JsonNull.INSTANCE);
            file.addProperty("loaded", false);
            file.add("architecture", JsonNull.INSTANCE);
            file.addProperty("standard_width", 0);
            file.addProperty("standard_height", 0);
            file.addProperty("is_supported_model_format", true);
            file.addProperty("local", true);
            files.add(file);
        }
        JsonObject answer = new JsonObject();
        answer.add("folders", new JsonArray());
        answer.add("files", files);
        return answer;
    }

    private JsonObject selectModel(JsonObject body) {
        String model = StandInJson.text(body.get("model"));
        List<String> known = models.getOrDefault("Stable-Diffusion", List.of());
        if (!known.contains(model) && !known.contains(model + ".safetensors")) {
            return StandInJson.error("Model not found.");
        }
        Backend backend = backends.get(StandInJson.integer(body.get("backendId")));
        if (backend == null || !backend.status().equals("running")) {
            return StandInJson.error("Model failed to load.");
        }
        backends.put(backend.id(), new Backend(backend.id(), backend.type(), backend.status(), backend.title(),
                backend.features(), backend.maxUsages(), model));
        return StandInJson.success();
    }

    private JsonObject nodeTypesOf(JsonObject body) {
        List<String> types = nodeTypes.get(StandInJson.integer(body.get("backend")));
        if (types == null) {
            return StandInJson.error("Unknown backend ID or not a ComfyUI backend.");
        }
        JsonArray array = new JsonArray();
        types.forEach(array::add);
        JsonObject answer = new JsonObject();
        answer.add("node_types", array);
        return answer;
    }
}
