package dev.switchboard.testkit.comfyui;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * What a healthy ComfyUI answers to each request, with the status codes, content types and body shapes of
 * the recordings of a real ComfyUI in the testkit's {@code src/test/resources/fixtures/comfyui} (checked by
 * {@code ComfyUiStandInFixtureTest}). Paths may carry the {@code /api} prefix, which ComfyUI serves as an alias
 * of every route.
 */
final class ComfyUiRoutes {

    private static final String SYSTEM_STATS_RESOURCE = "/dev/switchboard/testkit/comfyui/system_stats.json";
    private static final String FEATURES = "{\"supports_preview_metadata\":true,\"max_upload_size\":104857600}";

    private final NodeCatalog nodes;
    private final HistoryStore history;
    private final PromptQueue queue;
    private final OutputFiles files;
    private final PromptValidator validator;
    private final String systemStats;

    ComfyUiRoutes(NodeCatalog nodes, HistoryStore history, PromptQueue queue, OutputFiles files) {
        this.nodes = requireNonNull(nodes, "nodes is null");
        this.history = requireNonNull(history, "history is null");
        this.queue = requireNonNull(queue, "queue is null");
        this.files = requireNonNull(files, "files is null");
        this.validator = new PromptValidator(nodes);
        this.systemStats = readResource(SYSTEM_STATS_RESOURCE);
    }

    CannedResponse answer(String method, String rawPath, String query, String body) {
        String path = withoutApiPrefix(rawPath);
        if (method.equals("GET")) {
            return path.equals("/view") ? view(query) : answerGet(path);
        }
        if (method.equals("POST")) {
            return answerPost(path, body);
        }
        return CannedResponse.notFound();
    }

    private CannedResponse answerGet(String path) {
        switch (path) {
            case "/object_info":
                return CannedResponse.json(nodes.allAsJson());
            case "/features":
                return CannedResponse.json(FEATURES);
            case "/system_stats":
                return CannedResponse.json(systemStats);
            case "/queue":
                return CannedResponse.json(queue.asJson().toString());
            case "/history":
                return CannedResponse.json(history.allAsJson());
            case "/embeddings":
                return CannedResponse.json("[]");
            default:
                break;
        }
        Optional<String> node = lastSegmentAfter(path, "/object_info/");
        if (node.isPresent()) {
            return CannedResponse.json(nodes.oneAsJson(node.get()));
        }
        Optional<String> promptId = lastSegmentAfter(path, "/history/");
        if (promptId.isPresent()) {
            return CannedResponse.json(history.oneAsJson(promptId.get()));
        }
        return CannedResponse.notFound();
    }

    private CannedResponse answerPost(String path, String body) {
        switch (path) {
            case "/prompt":
                return parseObject(body).map(this::prompt).orElseGet(CannedResponse::serverError);
            case "/free":
                return parseObject(body).map(json -> CannedResponse.emptyOk()).orElseGet(CannedResponse::serverError);
            case "/queue":
                return parseObject(body).map(command -> {
                    if (isTrue(command.get("clear"))) {
                        queue.clear();
                    }
                    queue.delete(ids(command.get("delete")));
                    return CannedResponse.emptyOk();
                }).orElseGet(CannedResponse::serverError);
            case "/interrupt":
                // An empty body is fine here: older clients interrupt without one, and then everything stops.
                if (body.isEmpty()) {
                    queue.interrupt(null);
                    return CannedResponse.emptyOk();
                }
                return parseObject(body).map(command -> {
                    JsonElement id = command.get("prompt_id");
                    queue.interrupt(id != null && id.isJsonPrimitive() ? id.getAsString() : null);
                    return CannedResponse.emptyOk();
                }).orElseGet(CannedResponse::serverError);
            case "/history":
                return parseObject(body).map(command -> {
                    history.apply(command);
                    return CannedResponse.emptyOk();
                }).orElseGet(CannedResponse::serverError);
            default:
                return CannedResponse.notFound();
        }
    }

    /** {@code POST /prompt}: validates the graph, queues it and answers with its id and number. */
    private CannedResponse prompt(JsonObject request) {
        JsonElement graph = request.get("prompt");
        if (graph == null || !graph.isJsonObject()) {
            JsonObject answer = new JsonObject();
            answer.add("error", PromptValidator.error("no_prompt", "No prompt provided", "No prompt provided"));
            answer.add("node_errors", new JsonObject());
            return CannedResponse.json(400, answer.toString());
        }
        PromptValidator.Result result = validator.validate(graph.getAsJsonObject());
        if (!result.valid()) {
            return CannedResponse.json(400, result.refusal().toString());
        }
        JsonElement wantedId = request.get("prompt_id");
        String promptId = wantedId != null && wantedId.isJsonPrimitive() ? wantedId.getAsString()
                : UUID.randomUUID().toString();
        JsonElement clientId = request.get("client_id");
        int number = queue.submit(promptId, graph.getAsJsonObject(), clientId != null && clientId.isJsonPrimitive()
                ? clientId.getAsString() : "", result.outputs());
        JsonObject answer = new JsonObject();
        answer.addProperty("prompt_id", promptId);
        answer.addProperty("number", number);
        answer.add("node_errors", new JsonObject());
        return CannedResponse.json(answer.toString());
    }

    /** {@code GET /view?filename=...&type=output&subfolder=...}: a file a save node wrote. */
    private CannedResponse view(String query) {
        Map<String, String> parameters = queryParameters(query);
        String filename = parameters.get("filename");
        if (filename == null || filename.isEmpty()) {
            return new CannedResponse(400, null, new byte[0]);
        }
        return files.read(parameters.getOrDefault("type", "output"), parameters.getOrDefault("subfolder", ""), filename)
                .map(png -> new CannedResponse(200, "image/png", png))
                .orElseGet(CannedResponse::notFound);
    }

    private static Map<String, String> queryParameters(String query) {
        Map<String, String> parameters = new HashMap<>();
        if (query == null || query.isEmpty()) {
            return parameters;
        }
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            parameters.putIfAbsent(URLDecoder.decode(name, StandardCharsets.UTF_8),
                    URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return parameters;
    }

    private static List<String> ids(JsonElement delete) {
        if (delete == null || !delete.isJsonArray()) {
            return List.of();
        }
        return delete.getAsJsonArray().asList().stream().filter(JsonElement::isJsonPrimitive)
                .map(JsonElement::getAsString).toList();
    }

    private static boolean isTrue(JsonElement value) {
        return value != null && value.isJsonPrimitive() && value.getAsJsonPrimitive().isBoolean()
                && value.getAsBoolean();
    }

    static String withoutApiPrefix(String path) {
        if (path.equals("/api")) {
            return "/";
        }
        return path.startsWith("/api/") ? path.substring("/api".length()) : path;
    }

    private static Optional<String> lastSegmentAfter(String path, String prefix) {
        if (!path.startsWith(prefix)) {
            return Optional.empty();
        }
        String rest = path.substring(prefix.length());
        return rest.isEmpty() || rest.contains("/") ? Optional.empty() : Optional.of(rest);
    }

    /** ComfyUI's POST handlers read the body with {@code request.json()}; anything else makes them throw. */
    private static Optional<JsonObject> parseObject(String body) {
        try {
            JsonElement json = JsonParser.parseString(body);
            return json.isJsonObject() ? Optional.of(json.getAsJsonObject()) : Optional.empty();
        } catch (JsonParseException e) {
            return Optional.empty();
        }
    }

    private static String readResource(String name) {
        try (InputStream in = ComfyUiRoutes.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
    }
}
