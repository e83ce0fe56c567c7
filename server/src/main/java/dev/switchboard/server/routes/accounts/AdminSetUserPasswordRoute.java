package dev.switchboard.server.routes.accounts;

import com.google.gson.JsonObject;
import dev.switchboard.server.accounts.AccountException;
import dev.switchboard.server.accounts.Accounts;
import dev.switchboard.server.accounts.UserNames;
import dev.switchboard.server.http.ApiCall;
import dev.switchboard.server.http.ApiParam;
import dev.switchboard.server.http.ApiRoute;
import dev.switchboard.server.http.RouteDoc;
import dev.switchboard.server.sessions.Permission;
import jakarta.inject.Inject;

/** {@code AdminSetUserPassword} (SwarmUI's): sets another user's password without the old one. */
final class AdminSetUserPasswordRoute implements ApiRoute {
    private static final ApiParam NAME = ApiParam.requiredString("name", "The user whose password to set.");
    private static final ApiParam PASSWORD = ApiParam.requiredString("password", "The new password: "
            + UserNames.MIN_PASSWORD_LENGTH + " to " + UserNames.MAX_PASSWORD_LENGTH + " characters.");

    private final Accounts accounts;

    @Inject
    AdminSetUserPasswordRoute(Accounts accounts) {
        this.accounts = accounts;
    }

    @Override
    public String name() {
        return "AdminSetUserPassword";
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
        return RouteDoc.summary("Sets a user's password (an admin's reset) and ends that user's logins. Refused for a"
                + " user holding a permission the caller lacks.")
                .params(NAME, PASSWORD).answers(AccountAnswers.SUCCESS);
    }

    @Override
    public JsonObject handle(ApiCall call) {
        String name = NAME.readString(call);
        String password = PASSWORD.readString(call);
        try {
            accounts.setPassword(AccountAnswers.caller(call), name, password);
        } catch (AccountException e) {
            throw AccountAnswers.refusal(e);
        }
        return AccountAnswers.success();
    }
}
