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

/** {@code AdminDeleteUser} (SwarmUI's): deletes a user with their API keys, logins and sessions. */
final class AdminDeleteUserRoute implements ApiRoute {
    private static final ApiParam NAME = ApiParam.requiredString("name", "The user to delete.");

    private final Accounts accounts;

    @Inject
    AdminDeleteUserRoute(Accounts accounts) {
        this.accounts = accounts;
    }

    @Override
    public String name() {
        return "AdminDeleteUser";
    }

    @Override
    public boolean audited() {
        return true;
    }

    @Override
    public Permission permission() {
        return Permission.MANAGE_USERS;
    }

    @Override
    public RouteDoc doc() {
        return RouteDoc.summary("Deletes a user, their API keys, logins and sessions (their saved outputs stay on"
                + " disk). Refused for a user holding a permission the caller lacks, and for the last user holding"
                + " every permission.")
                .params(NAME).answers(AccountAnswers.SUCCESS);
    }

    @Override
    public JsonObject handle(ApiCall call) {
        String name = NAME.readString(call);
        try {
            accounts.deleteUser(AccountAnswers.caller(call), name);
        } catch (AccountException e) {
            throw AccountAnswers.refusal(e);
        }
        return AccountAnswers.success();
    }
}
