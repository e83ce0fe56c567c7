package dev.switchboard.testkit.swarm;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A small, real HTTP server on the loopback interface that answers like an OLD (2024) StableSwarmUI server
 * used as a remote: {@code GetNewSession} with {@code count_running} and without {@code permissions},
 * {@code ListBackendTypes} with {@code bool} setting types, {@code ListBackends} whose views carry their
 * {@code id} as a string, and {@code FreeBackendMemory}. Sessions are in memory; {@link #forgetSessions()}
 * acts like a restart, after which old sessions get {@code 401 invalid_session_id}. Every request is
 * recorded with its headers. Thread-safe; close it to free the port.
 */
public final class OldSwarmStandIn implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService exchanges = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "old-swarm-stand-in");
        thread.setDaemon(true);
        return thread;
    });
    private final Object lock = new Object();

    // All guarded by lock.
    private final Set<String> sessions = new HashSet<>();
    private final Map<Integer, Backend> backends = new LinkedHashMap<>();
    private final List<Call> calls = new ArrayList<>();
    private final Map<String, String> routeErrors = new LinkedHashMap<>();
    private String serverId = UUID.randomUUID().toString();
    private boolean rejectSessions;
    private String stalledRoute;
    private boolean closed;

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
     * @param route the route, as in the path
     * @param headers the request headers, names lower-case, first value each
     * @param body the JSON body (an empty object when it was not JSON)
     */
    public record Call(String route, Map<String, String> headers, JsonObject body) {
    }

    private OldSwarmStandIn(HttpServer server) {
        this.server = server;
    }

    /**
     * Starts a stand-in on a free port of 127.0.0.1.
     *
     * @return the running stand-in
     */
    public static OldSwarmStandIn start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
            OldSwarmStandIn standIn = new OldSwarmStandIn(server);
            server.createContext("/API/", standIn::handle);
            server.setExecutor(standIn.exchanges);
            server.start();
            return standIn;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the address to configure, e.g. {@code http://127.0.0.1:41234} */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
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
     * Stops listing a backend.
     *
     * @param id its id
     */
    public void removeBackend(int id) {
        synchronized (lock) {
            backends.remove(id);
        }
    }

    /** Acts like a restart: every session is forgotten and the server id changes. */
    public void forgetSessions() {
        synchronized (lock) {
            sessions.clear();
            serverId = UUID.randomUUID().toString();
        }
    }

    /**
     * Makes {@code GetNewSession} answer with the given server id (e.g. the caller's own).
     *
     * @param id the server id to report
     */
    public void serverId(String id) {
        synchronized (lock) {
            serverId = requireNonNull(id, "id is null");
        }
    }

    /**
     * Makes every call of a route answer {@code {"error": <message>}} (HTTP 200, as SwarmUI does).
     *
     * @param route the route, e.g. {@code ListBackends}
     * @param message the error text, or null to answer normally again
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
     * Makes every call other than {@code GetNewSession} answer {@code invalid_session_id}, even with a new session.
     *
     * @param reject whether to reject
     */
    public void rejectSessions(boolean reject) {
        synchronized (lock) {
            rejectSessions = reject;
        }
    }

    /**
     * Makes every call of a route hang without answering (the connection stays open) until
     * {@code stallRoute(null)} or {@link #close()}.
     *
     * @param route the route to stall, e.g. {@code ListBackends}, or null to answer normally again
     */
    public void stallRoute(String route) {
        synchronized (lock) {
            stalledRoute = route == null ? null : route.toLowerCase(Locale.ROOT);
            lock.notifyAll();
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
     * @param route e.g. {@code FreeBackendMemory}
     * @return those requests, oldest first
     */
    public List<Call> calls(String route) {
        return calls().stream().filter(call -> call.route().equalsIgnoreCase(route)).toList();
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
        server.stop(0);
        exchanges.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String route = exchange.getRequestURI().getPath().substring("/API/".length());
            JsonObject body = parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) ->
                    headers.put(name.toLowerCase(Locale.ROOT), values.isEmpty() ? "" : values.get(0)));
            JsonObject answer;
            int status = 200;
            synchronized (lock) {
                calls.add(new Call(route, Map.copyOf(headers), body));
                String lower = route.toLowerCase(Locale.ROOT);
                while (lower.equals(stalledRoute) && !closed) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                if (lower.equals("getnewsession")) {
                    answer = newSession();
                } else if (rejectSessions || !body.has("session_id")
                        || !sessions.contains(body.get("session_id").getAsString())) {
                    status = 401;
                    answer = new JsonObject();
                    answer.addProperty("error", "Invalid session ID. You may need to refresh the page.");
                    answer.addProperty("error_id", "invalid_session_id");
                } else if (routeErrors.containsKey(lower)) {
                    answer = error(routeErrors.get(lower));
                } else {
                    answer = switch (lower) {
                        case "listbackends" -> listBackends(body);
                        case "listbackendtypes" -> listBackendTypes();
                        case "freebackendmemory" -> freeMemory();
                        default -> error("Unknown API route '" + route + "'");
                    };
                }
            }
            byte[] bytes = answer.toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private JsonObject newSession() {
        String session = UUID.randomUUID().toString().replace("-", "");
        sessions.add(session);
        JsonObject answer = new JsonObject();
        answer.addProperty("session_id", session);
        answer.addProperty("user_id", "local");
        answer.addProperty("output_append_user", true);
        answer.addProperty("version", "0.6.3.0");
        answer.addProperty("server_id", serverId);
        answer.addProperty("count_running", backends.values().stream().filter(b -> b.status().equals("running")).count());
        return answer;
    }

    private JsonObject listBackends(JsonObject body) {
        boolean full = body.has("full_data") && body.get("full_data").getAsBoolean();
        JsonObject answer = new JsonObject();
        for (Backend backend : backends.values()) {
            JsonObject view = new JsonObject();
            view.addProperty("type", backend.type());
            view.addProperty("status", backend.status());
            view.addProperty("id", Integer.toString(backend.id()));
            view.add("settings", new JsonObject());
            view.addProperty("modcount", 0);
            JsonArray features = new JsonArray();
            backend.features().forEach(features::add);
            view.add("features", features);
            view.addProperty("enabled", true);
            view.addProperty("title", backend.title());
            view.addProperty("can_load_models", true);
            view.addProperty("max_usages", backend.maxUsages());
            if (full) {
                view.addProperty("current_model", backend.currentModel());
            }
            answer.add(Integer.toString(backend.id()), view);
        }
        return answer;
    }

    private static JsonObject listBackendTypes() {
        JsonObject setting = new JsonObject();
        setting.addProperty("name", "Address");
        setting.addProperty("type", "text");
        setting.addProperty("description", "");
        setting.addProperty("placeholder", "");
        JsonObject idle = new JsonObject();
        idle.addProperty("name", "AllowIdle");
        idle.addProperty("type", "bool");
        idle.addProperty("description", "");
        idle.addProperty("placeholder", "");
        JsonArray settings = new JsonArray();
        settings.add(setting);
        settings.add(idle);
        JsonObject type = new JsonObject();
        type.addProperty("id", "comfyui_api");
        type.addProperty("name", "ComfyUI API By URL");
        type.addProperty("description", "");
        type.add("settings", settings);
        type.addProperty("is_standard", true);
        JsonArray list = new JsonArray();
        list.add(type);
        JsonObject answer = new JsonObject();
        answer.add("list", list);
        return answer;
    }

    private static JsonObject freeMemory() {
        JsonObject answer = new JsonObject();
        answer.addProperty("result", true);
        answer.addProperty("count", 1);
        return answer;
    }

    private static JsonObject error(String message) {
        JsonObject answer = new JsonObject();
        answer.addProperty("error", message);
        return answer;
    }

    private static JsonObject parse(String text) {
        try {
            JsonElement json = JsonParser.parseString(text);
            return json.isJsonObject() ? json.getAsJsonObject() : new JsonObject();
        } catch (RuntimeException e) {
            return new JsonObject();
        }
    }
}
