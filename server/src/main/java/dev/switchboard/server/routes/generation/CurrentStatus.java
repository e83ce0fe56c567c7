package dev.switchboard.server.routes.generation;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.switchboard.api.BackendStatus;
import dev.switchboard.server.backends.BackendRegistry;
import dev.switchboard.server.backends.BackendSnapshot;
import dev.switchboard.server.dispatch.Dispatcher;
import dev.switchboard.server.dispatch.SessionCounts;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * SwarmUI's status object (GetCurrentStatus, and the first and last messages of a WebSocket generation): the
 * session's job counters, the aggregate status of the image backends (backend-api-semantics.md 3.12, first
 * matching rule wins) and the union of the features of enabled backends that are not idle.
 */
final class CurrentStatus {
    private final BackendRegistry backends;
    private final Dispatcher dispatcher;

    @Inject
    CurrentStatus(BackendRegistry backends, Dispatcher dispatcher) {
        this.backends = backends;
        this.dispatcher = dispatcher;
    }

    JsonObject of(String sessionId) {
        SessionCounts counts = dispatcher.counts(sessionId);
        JsonObject status = new JsonObject();
        status.addProperty("waiting_gens", counts.queued() + counts.running());
        status.addProperty("loading_models", 0);
        status.addProperty("waiting_backends", counts.queued());
        status.addProperty("live_gens", counts.running());
        List<BackendSnapshot> images = backends.list(true).stream().filter(BackendSnapshot::imageBackend).toList();
        JsonObject result = new JsonObject();
        result.add("status", status);
        result.add("backend_status", aggregate(images));
        Set<String> features = new TreeSet<>();
        for (BackendSnapshot backend : backends.list(true)) {
            if (backend.enabled() && backend.status() != BackendStatus.IDLE) {
                features.addAll(backend.features());
            }
        }
        JsonArray supported = new JsonArray();
        features.forEach(supported::add);
        result.add("supported_features", supported);
        return result;
    }

    private static JsonObject aggregate(List<BackendSnapshot> images) {
        boolean anyLoading = images.stream().anyMatch(b -> b.status() == BackendStatus.LOADING
                || b.status() == BackendStatus.WAITING);
        if (images.isEmpty()) {
            return status("empty", "error", "No backends present. You must configure backends in the Backends"
                    + " section of the Server tab before you can continue.", false);
        }
        if (images.stream().noneMatch(BackendSnapshot::enabled)) {
            return status("all_disabled", "error", "All backends are disabled. You must enable backends in the"
                    + " Backends section of the Server tab before you can continue.", false);
        }
        if (has(images, BackendStatus.ERRORED)) {
            return status("errored", "error", "Some backends have errored on the server. Check the server logs for"
                    + " details.", anyLoading);
        }
        if (has(images, BackendStatus.RUNNING)) {
            return anyLoading ? status("some_loading", "warn", "Some backends are ready, but others are still"
                    + " loading...", true) : status("running", "", "", false);
        }
        if (anyLoading) {
            return status("loading", "soft", "Backends are still loading on the server...", true);
        }
        if (has(images, BackendStatus.DISABLED)) {
            return status("disabled", "warn", "Some backends are disabled. Please enable or configure them to"
                    + " continue.", false);
        }
        if (has(images, BackendStatus.IDLE)) {
            return status("idle", "warn", "All backends are idle. Cannot generate until at least one backend is"
                    + " running.", false);
        }
        return status("unknown", "error", "Something is wrong with your backends. Please check the Backends section"
                + " of the Server tab, or the server logs.", false);
    }

    private static boolean has(List<BackendSnapshot> images, BackendStatus status) {
        return images.stream().anyMatch(backend -> backend.status() == status);
    }

    private static JsonObject status(String status, String kind, String message, boolean anyLoading) {
        JsonObject json = new JsonObject();
        json.addProperty("status", status);
        json.addProperty("class", kind);
        json.addProperty("message", message);
        json.addProperty("any_loading", anyLoading);
        return json;
    }
}
