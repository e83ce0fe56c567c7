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

/** {@code AdminDeleteRole} (SwarmUI's): deletes a role that is not built in and that nobody holds. */
final class AdminDeleteRoleRoute implements ApiRoute {
    private static final ApiParam NAME = ApiParam.requiredString("name", "The role to delete.");

    private final Accounts accounts;

    @Inject
    AdminDeleteRoleRoute(Accounts accounts) {
        this.accounts = accounts;
    }

    @Override
    public String name() {
        return "AdminDeleteRole";
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
        return RouteDoc.summary("Deletes a role; refused for the built-in roles and for a role a user holds.")
                .params(NAME).answers(AccountAnswers.SUCCESS);
    }

    @Override
    public JsonObject handle(ApiCall call) {
        String name = NAME.readString(call);
        try {
            accounts.deleteRole(AccountAnswers.caller(call), name);
        } catch (AccountException e) {
            throw AccountAnswers.refusal(e);
        }
        return AccountAnswers.success();
    }
}
