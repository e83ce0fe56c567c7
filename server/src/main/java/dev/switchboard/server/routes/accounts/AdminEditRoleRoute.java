package dev.switchboard.server.routes.accounts;

import com.google.gson.JsonObject;
import dev.switchboard.server.accounts.AccountException;
import dev.switchboard.server.accounts.Accounts;
import dev.switchboard.server.accounts.Role;
import dev.switchboard.server.accounts.UserNames;
import dev.switchboard.server.http.ApiCall;
import dev.switchboard.server.http.ApiError;
import dev.switchboard.server.http.ApiParam;
import dev.switchboard.server.http.ApiRoute;
import dev.switchboard.server.http.JsonType;
import dev.switchboard.server.http.RouteDoc;
import dev.switchboard.server.sessions.Permission;
import jakarta.inject.Inject;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code AdminEditRole} (SwarmUI's): changes a role's description, permissions and limits. SwarmUI sends every
 * field; here a field left out keeps the role's current value.
 */
final class AdminEditRoleRoute implements ApiRoute {
    private static final String KEEPS = " Left out: the role keeps its current value.";
    private static final ApiParam NAME = ApiParam.requiredString("name", "The role to change.");
    private static final ApiParam DESCRIPTION = ApiParam.optionalNoDefault("description", JsonType.STRING,
            "What the role is for." + KEEPS);
    private static final ApiParam MAX_OUTPATH_DEPTH = ApiParam.optionalNoDefault("max_outpath_depth",
            JsonType.INTEGER, "How many folders deep its users may save outputs (0 or more)." + KEEPS);
    private static final ApiParam MAX_T2I_SIMULTANEOUS = ApiParam.optionalNoDefault("max_t2i_simultaneous",
            JsonType.INTEGER, "How many generations its users may run at once (0 or more)." + KEEPS);
    private static final ApiParam ALLOW_UNSAFE_OUTPATHS = ApiParam.optionalNoDefault("allow_unsafe_outpaths",
            JsonType.BOOLEAN, "Whether output paths may hold characters some systems cannot store." + KEEPS);
    private static final ApiParam MODEL_WHITELIST = ApiParam.optionalNoDefault("model_whitelist", JsonType.STRING,
            "Comma-separated models (or prefixes ending in '/' or '*') its users may use; empty allows all." + KEEPS);
    private static final ApiParam MODEL_BLACKLIST = ApiParam.optionalNoDefault("model_blacklist", JsonType.STRING,
            "Comma-separated models (or prefixes) its users may not use." + KEEPS);
    private static final ApiParam PERMISSIONS = ApiParam.optionalNoDefault("permissions", JsonType.STRING,
            "Comma-separated permission ids (AdminListPermissions lists them), replacing the role's; never one the"
                    + " caller lacks. The owner role always holds '*'." + KEEPS);

    private final Accounts accounts;

    @Inject
    AdminEditRoleRoute(Accounts accounts) {
        this.accounts = accounts;
    }

    @Override
    public String name() {
        return "AdminEditRole";
    }

    @Override
    public boolean audited() {
        return true;
    }

    @Override
    public Permission permission() {
        return Permission.CONFIGURE_ROLES;
    }

    @Override
    public RouteDoc doc() {
        return RouteDoc.summary("Changes a role; its users' sessions get the new permissions at once. Every field"
                + " but name may be left out to keep its current value.")
                .params(NAME, DESCRIPTION, MAX_OUTPATH_DEPTH, MAX_T2I_SIMULTANEOUS, ALLOW_UNSAFE_OUTPATHS,
                        MODEL_WHITELIST, MODEL_BLACKLIST, PERMISSIONS)
                .answers(AccountAnswers.SUCCESS);
    }

    @Override
    public JsonObject handle(ApiCall call) {
        String typed = NAME.readString(call);
        Optional<String> name = UserNames.normalize(typed);
        if (name.isEmpty() || accounts.state().roles().stream().noneMatch(role -> role.name().equals(name.get()))) {
            throw new ApiError("No role is named '" + name.orElse(typed.strip()) + "'.");
        }
        try {
            accounts.editRole(AccountAnswers.caller(call), name.get(), current -> edited(call, current));
        } catch (AccountException e) {
            throw AccountAnswers.refusal(e);
        }
        return AccountAnswers.success();
    }

    /** The role as the request changes it: absent parameters keep the current value. */
    private static Role edited(ApiCall call, Role current) {
        return new Role(current.name(),
                DESCRIPTION.presentIn(call) ? DESCRIPTION.readString(call) : current.description(),
                PERMISSIONS.presentIn(call) ? permissions(PERMISSIONS.readString(call)) : current.permissions(),
                limit(call, MAX_OUTPATH_DEPTH, current.maxOutpathDepth()),
                limit(call, MAX_T2I_SIMULTANEOUS, current.maxT2iSimultaneous()),
                ALLOW_UNSAFE_OUTPATHS.presentIn(call) ? ALLOW_UNSAFE_OUTPATHS.readBool(call)
                        : current.allowUnsafeOutpaths(),
                models(call, MODEL_WHITELIST, current.modelWhitelist()),
                models(call, MODEL_BLACKLIST, current.modelBlacklist()));
    }

    private static int limit(ApiCall call, ApiParam param, int current) {
        if (!param.presentIn(call)) {
            return current;
        }
        int value = param.readInt(call);
        if (value < 0) {
            throw new ApiError("Invalid value '" + value + "' for parameter '" + param.name()
                    + "': it must be 0 or more.");
        }
        return value;
    }

    private static Set<String> permissions(String text) {
        return new LinkedHashSet<>(AccountAnswers.commaList(text));
    }

    private static List<String> models(ApiCall call, ApiParam param, List<String> current) {
        return param.presentIn(call) ? AccountAnswers.commaList(param.readString(call)) : current;
    }
}
