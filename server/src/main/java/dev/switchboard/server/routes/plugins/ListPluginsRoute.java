package dev.switchboard.server.routes.plugins;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.switchboard.server.backends.BackendRegistry;
import dev.switchboard.server.backends.UnloadedBackend;
import dev.switchboard.server.http.ApiCall;
import dev.switchboard.server.http.ApiField;
import dev.switchboard.server.http.ApiRoute;
import dev.switchboard.server.http.JsonType;
import dev.switchboard.server.http.RouteDoc;
import dev.switchboard.server.plugins.PluginHost;
import dev.switchboard.server.plugins.PluginInfo;
import dev.switchboard.server.sessions.Permission;
import jakarta.inject.Inject;

/**
 * {@code ListPlugins} (Switchboard's own route): every plugin found, its state and load error, the backend
 * types it contributes, and the stored backends that could not be loaded (kept in the file, not listed).
 */
final class ListPluginsRoute implements ApiRoute {
    private final PluginHost plugins;
    private final BackendRegistry backends;

    @Inject
    ListPluginsRoute(PluginHost plugins, BackendRegistry backends) {
        this.plugins = plugins;
        this.backends = backends;
    }

    @Override
    public String name() {
        return "ListPlugins";
    }

    @Override
    public Permission permission() {
        return Permission.VIEW_PLUGINS;
    }

    @Override
    public RouteDoc doc() {
        return RouteDoc.summary("Every plugin found, with its state and load error and the backend types it"
                + " contributes, and the stored backends whose type is unavailable (kept in the file, not listed).")
                .answers(ApiField.of("plugins", JsonType.ARRAY, "One object per plugin: id, version, provider,"
                                + " description, state, error (empty when none), backend_types, path."),
                        ApiField.of("unloaded_backends", JsonType.ARRAY,
                                "One object per stored backend that is not loaded: id, type, title, reason."));
    }

    @Override
    public JsonObject handle(ApiCall call) {
        JsonArray list = new JsonArray();
        for (PluginInfo plugin : plugins.plugins()) {
            JsonObject json = new JsonObject();
            json.addProperty("id", plugin.id());
            json.addProperty("version", plugin.version());
            json.addProperty("provider", plugin.provider());
            json.addProperty("description", plugin.description());
            json.addProperty("state", plugin.state());
            json.addProperty("error", plugin.error().orElse(""));
            JsonArray types = new JsonArray();
            plugin.backendTypes().forEach(types::add);
            json.add("backend_types", types);
            json.addProperty("path", String.valueOf(plugin.path()));
            list.add(json);
        }
        JsonArray unloaded = new JsonArray();
        for (UnloadedBackend backend : backends.unloaded()) {
            JsonObject json = new JsonObject();
            json.addProperty("id", backend.id());
            json.addProperty("type", backend.typeId());
            json.addProperty("title", backend.title());
            json.addProperty("reason", backend.reason());
            unloaded.add(json);
        }
        JsonObject result = new JsonObject();
        result.add("plugins", list);
        result.add("unloaded_backends", unloaded);
        return result;
    }
}
