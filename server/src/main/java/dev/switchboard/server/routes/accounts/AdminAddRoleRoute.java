package dev.switchboard.server.routes.accounts;

import com.google.gson.JsonObject;
import dev.switchboard.server.accounts.AccountException;
import dev.switchboard.server.accounts.Accounts;
import dev.switchboard.server.http.ApiCall;
import dev.switchboard.server.http.ApiParam;
import dev.switchboard.server.http.ApiRoute;
import dev.switchboard.server.http.RouteDoc;
import dev.switchboard.server.sessions.Permission;
import jakarta.inject.Inject;

/** {@code AdminAddRole} (SwarmUI's): adds a role with no permissions and the default limits. */
final class AdminAddRoleRoute implements ApiRoute {
    private static final ApiParam NAME = ApiParam.requiredString("name",
            "The new role's name: the rules of user names (stored lower-case).");

    private final Accounts accounts;

    @Inject
    AdminAddRoleRoute(Accounts accounts) {
        this.accounts = accounts;
    }

    @Override
    public String name() {
        return "AdminAddRole";
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
        return RouteDoc.summary("Adds a role holding no permissions, with the default limits"
                + " (max_outpath_depth 5, max_t2i_simultaneous 32); AdminEditRole then shapes it.")
                .params(NAME).answers(AccountAnswers.SUCCESS);
    }

    @Override
    public JsonObject handle(ApiCall call) {
        String name = NAME.readString(call);
        try {
            accounts.addRole(AccountAnswers.caller(call), name);
        } catch (AccountException e) {
            throw AccountAnswers.refusal(e);
        }
        return AccountAnswers.success();
    }
}
