package dev.switchboard.testkit.comfyui;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * What a healthy ComfyUI answers to each request, with the status codes, content types and body shapes of
 * the recordings of a real ComfyUI in the testkit's {@code src/test/resources/fixtures/comfyui} (checked by
 * {@code ComfyUiStandInFixtureTest}). Paths may carry the {@code /api} prefix, which ComfyUI serves as an alias
 * of every route.
 */
final class ComfyUiRoutes {

    private static final String SYSTEM_STATS_RESOURCE = "/dev/switchboard/testkit/comfyui/system_stats.json";
    private static final String FEATURES = "{\"supports_preview_metadata\":true,\"max_upload_size\":104857600}";
    private static final String EMPTY_QUEUE = "{\"queue_running\":[],\"queue_pending\":[]}";

    private final NodeCatalog nodes;
    private final HistoryStore history;
    private final String systemStats;

    ComfyUiRoutes(NodeCatalog nodes, HistoryStore history) {
        this.nodes = requireNonNull(nodes, "nodes is null");
        this.history = requireNonNull(history, "history is null");
        this.systemStats = readResource(SYSTEM_STATS_RESOURCE);
    }

    CannedResponse answer(String method, String rawPath, String body) {
        String path = withoutApiPrefix(rawPath);
        if (method.equals("GET")) {
            return answerGet(path);
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
                return CannedResponse.json(EMPTY_QUEUE);
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
            case "/free":
            case "/queue":
                return parseObject(body).map(json -> CannedResponse.emptyOk()).orElseGet(CannedResponse::serverError);
            case "/interrupt":
                // An empty body is fine here: older clients interrupt without one.
                return body.isEmpty() || parseObject(body).isPresent()
                        ? CannedResponse.emptyOk() : CannedResponse.serverError();
            case "/history":
                return parseObject(body).map(command -> {
                    history.apply(command);
                    return CannedResponse.emptyOk();
                }).orElseGet(CannedResponse::serverError);
            default:
                return CannedResponse.notFound();
        }
    }

    private static String withoutApiPrefix(String path) {
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
