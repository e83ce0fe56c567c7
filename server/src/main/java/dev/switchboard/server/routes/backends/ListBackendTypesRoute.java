package dev.switchboard.server.routes.backends;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.switchboard.server.http.ApiCall;
import dev.switchboard.server.http.ApiField;
import dev.switchboard.server.http.ApiJson;
import dev.switchboard.server.http.ApiRoute;
import dev.switchboard.server.http.JsonText;
import dev.switchboard.server.http.JsonType;
import dev.switchboard.server.http.RouteDoc;
import dev.switchboard.server.plugins.BackendTypeRegistry;
import dev.switchboard.server.plugins.RegisteredBackendType;
import dev.switchboard.server.sessions.Permission;
import jakarta.inject.Inject;

/** {@code ListBackendTypes}: every registered backend type with its settings schema. */
final class ListBackendTypesRoute implements ApiRoute {
    private final BackendTypeRegistry types;
    // The types are fixed once the plugins are loaded, so the answer is written once.
    private volatile JsonText answer;

    @Inject
    ListBackendTypesRoute(BackendTypeRegistry types) {
        this.types = types;
    }

    @Override
    public String name() {
        return "ListBackendTypes";
    }

    @Override
    public Permission permission() {
        return Permission.VIEW_BACKENDS_LIST;
    }

    @Override
    public RouteDoc doc() {
        return RouteDoc.summary("Every registered backend type with its settings schema.")
                .answers(ApiField.of("list", JsonType.ARRAY, "One object per type: id, name, description, settings"
                        + " (name, type, description, placeholder, is_secret, values, value_names) and is_standard."));
    }

    @Override
    public JsonObject handle(ApiCall call) {
        JsonArray list = new JsonArray();
        for (RegisteredBackendType type : types.types()) {
            list.add(BackendViews.type(type));
        }
        JsonObject result = new JsonObject();
        result.add("list", list);
        return result;
    }

    @Override
    public JsonText handleToJson(ApiCall call) {
        JsonText text = answer;
        if (text == null) {
            text = JsonText.of(ApiJson.write(handle(call)));
            answer = text;
        }
        return text;
    }

    @Override
    public boolean quick() {
        return true;
    }
}
