package dev.switchboard.server.routes.accounts;

import com.google.gson.JsonObject;
import dev.switchboard.server.http.ApiCall;
import dev.switchboard.server.http.ApiField;
import dev.switchboard.server.http.ApiRoute;
import dev.switchboard.server.http.JsonType;
import dev.switchboard.server.http.RouteDoc;
import dev.switchboard.server.sessions.Permission;
import jakarta.inject.Inject;
import java.util.Locale;

/** {@code AdminListPermissions} (SwarmUI's): the permission catalog, for editing roles. */
final class AdminListPermissionsRoute implements ApiRoute {

    @Inject
    AdminListPermissionsRoute() {
    }

    @Override
    public String name() {
        return "AdminListPermissions";
    }

    /** Answers from the catalog alone. */
    @Override
    public boolean quick() {
        return true;
    }

    @Override
    public Permission permission() {
        return Permission.CONFIGURE_ROLES;
    }

    @Override
    public RouteDoc doc() {
        return RouteDoc.summary("Lists every permission a role may hold.")
                .answers(ApiField.of("permissions", JsonType.OBJECT, "Each permission by id, in catalog order:"
                        + " 'name' (the id in words), 'description', 'group' and 'default' (the least trusted"
                        + " built-in level holding it: NOBODY for the owner alone, ADMINS, POWERUSERS, USERS or"
                        + " GUESTS)."));
    }

    @Override
    public JsonObject handle(ApiCall call) {
        JsonObject permissions = new JsonObject();
        for (Permission permission : Permission.values()) {
            if (permission == Permission.PUBLIC) {
                continue;
            }
            JsonObject json = new JsonObject();
            json.addProperty("name", displayName(permission.id()));
            json.addProperty("description", permission.description());
            json.addProperty("group", permission.group());
            json.addProperty("default", permission.level().wireName());
            permissions.add(permission.id(), json);
        }
        JsonObject result = new JsonObject();
        result.add("permissions", permissions);
        return result;
    }

    /** {@code edit_backends} becomes {@code Edit Backends}. */
    static String displayName(String id) {
        StringBuilder name = new StringBuilder(id.length());
        for (String word : id.split("_")) {
            if (!word.isEmpty()) {
                if (name.length() > 0) {
                    name.append(' ');
                }
                name.append(word.substring(0, 1).toUpperCase(Locale.ROOT)).append(word.substring(1));
            }
        }
        return name.toString();
    }
}
