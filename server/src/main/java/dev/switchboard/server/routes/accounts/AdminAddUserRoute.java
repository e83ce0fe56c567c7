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

/** {@code AdminAddUser} (SwarmUI's): adds a user with one role. */
final class AdminAddUserRoute implements ApiRoute {
    private static final ApiParam NAME = ApiParam.requiredString("name", "The new user's name: "
            + UserNames.rule() + " (stored lower-case); also the user's outputs folder.");
    private static final ApiParam PASSWORD = ApiParam.requiredString("password", "The user's password: "
            + UserNames.MIN_PASSWORD_LENGTH + " to " + UserNames.MAX_PASSWORD_LENGTH + " characters.");
    private static final ApiParam ROLE = ApiParam.requiredString("role",
            "The user's role (AdminListRoles lists them); never one holding a permission the caller lacks.");

    private final Accounts accounts;

    @Inject
    AdminAddUserRoute(Accounts accounts) {
        this.accounts = accounts;
    }

    @Override
    public String name() {
        return "AdminAddUser";
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
        return RouteDoc.summary("Adds a user with one role, saved before the answer. On a server without accounts"
                + " the first user added turns accounts on: from then on every caller must log in or use an API key,"
                + " and the sessions made before end.")
                .params(NAME, PASSWORD, ROLE).answers(AccountAnswers.SUCCESS);
    }

    @Override
    public JsonObject handle(ApiCall call) {
        String name = NAME.readString(call);
        String password = PASSWORD.readString(call);
        String role = ROLE.readString(call);
        try {
            accounts.addUser(AccountAnswers.caller(call), name, password, role);
        } catch (AccountException e) {
            throw AccountAnswers.refusal(e);
        }
        return AccountAnswers.success();
    }
}
