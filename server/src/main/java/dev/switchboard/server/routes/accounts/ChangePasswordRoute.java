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

/** {@code ChangePassword} (SwarmUI's): the caller changes their own password, proving the old one. */
final class ChangePasswordRoute implements ApiRoute {
    private static final ApiParam OLD_PASSWORD = ApiParam.requiredString("oldPassword", "The current password.");
    private static final ApiParam NEW_PASSWORD = ApiParam.requiredString("newPassword",
            "The new password: " + UserNames.MIN_PASSWORD_LENGTH + " to " + UserNames.MAX_PASSWORD_LENGTH
                    + " characters.");

    private final Accounts accounts;

    @Inject
    ChangePasswordRoute(Accounts accounts) {
        this.accounts = accounts;
    }

    @Override
    public String name() {
        return "ChangePassword";
    }

    @Override
    public boolean audited() {
        return true;
    }

    @Override
    public Permission permission() {
        return Permission.EDIT_USER_SETTINGS;
    }

    @Override
    public RouteDoc doc() {
        return RouteDoc.summary("Changes the caller's own password after checking the old one (failures count"
                + " toward the login rate limit); the caller's logins end, so the page logs in again.")
                .params(OLD_PASSWORD, NEW_PASSWORD).answers(AccountAnswers.SUCCESS);
    }

    @Override
    public JsonObject handle(ApiCall call) {
        String oldPassword = OLD_PASSWORD.readString(call);
        String newPassword = NEW_PASSWORD.readString(call);
        try {
            accounts.changePassword(AccountAnswers.caller(call), oldPassword, newPassword, call.clientAddress());
        } catch (AccountException e) {
            throw AccountAnswers.refusal(e);
        }
        return AccountAnswers.success();
    }
}
