package dev.switchboard.server.routes.accounts;

import com.google.gson.JsonObject;
import dev.switchboard.server.accounts.Accounts;
import dev.switchboard.server.accounts.BuiltInRoles;
import dev.switchboard.server.accounts.Role;
import dev.switchboard.server.http.ApiCall;
import dev.switchboard.server.http.ApiField;
import dev.switchboard.server.http.ApiRoute;
import dev.switchboard.server.http.JsonType;
import dev.switchboard.server.http.RouteDoc;
import dev.switchboard.server.sessions.Permission;
import jakarta.inject.Inject;
import java.util.TreeSet;

/** {@code AdminListRoles} (SwarmUI's): every role with its permissions and limits. */
final class AdminListRolesRoute implements ApiRoute {
    private final Accounts accounts;

    @Inject
    AdminListRolesRoute(Accounts accounts) {
        this.accounts = accounts;
    }

    @Override
    public String name() {
        return "AdminListRoles";
    }

    @Override
    public Permission permission() {
        return Permission.CONFIGURE_ROLES;
    }

    @Override
    public RouteDoc doc() {
        return RouteDoc.summary("Lists every role, most trusted built-in first, then those added.")
                .answers(ApiField.of("roles", JsonType.OBJECT, "Each role by name: 'name', 'description',"
                        + " 'permissions' (ids, sorted), 'max_outpath_depth', 'max_t2i_simultaneous',"
                        + " 'allow_unsafe_outpaths', 'model_whitelist', 'model_blacklist' (arrays of models or"
                        + " prefixes) and 'is_builtin'."));
    }

    @Override
    public JsonObject handle(ApiCall call) {
        JsonObject roles = new JsonObject();
        for (Role role : accounts.state().roles()) {
            JsonObject json = new JsonObject();
            json.addProperty("name", role.name());
            json.addProperty("description", role.description());
            json.add("permissions", AccountAnswers.array(new TreeSet<>(role.permissions())));
            json.addProperty("max_outpath_depth", role.maxOutpathDepth());
            json.addProperty("max_t2i_simultaneous", role.maxT2iSimultaneous());
            json.addProperty("allow_unsafe_outpaths", role.allowUnsafeOutpaths());
            json.add("model_whitelist", AccountAnswers.array(role.modelWhitelist()));
            json.add("model_blacklist", AccountAnswers.array(role.modelBlacklist()));
            json.addProperty("is_builtin", BuiltInRoles.isBuiltIn(role.name()));
            roles.add(role.name(), json);
        }
        JsonObject result = new JsonObject();
        result.add("roles", roles);
        return result;
    }
}
