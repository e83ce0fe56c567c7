package dev.switchboard.server.routes.accounts;

import com.google.gson.JsonObject;
import dev.switchboard.server.accounts.Accounts;
import dev.switchboard.server.accounts.UserAccount;
import dev.switchboard.server.http.ApiCall;
import dev.switchboard.server.http.ApiField;
import dev.switchboard.server.http.ApiRoute;
import dev.switchboard.server.http.JsonType;
import dev.switchboard.server.http.RouteDoc;
import dev.switchboard.server.sessions.Permission;
import jakarta.inject.Inject;

/** {@code AdminListUsers} (SwarmUI's): the users' names. */
final class AdminListUsersRoute implements ApiRoute {
    private final Accounts accounts;

    @Inject
    AdminListUsersRoute(Accounts accounts) {
        this.accounts = accounts;
    }

    @Override
    public String name() {
        return "AdminListUsers";
    }

    @Override
    public Permission permission() {
        return Permission.MANAGE_USERS;
    }

    @Override
    public RouteDoc doc() {
        return RouteDoc.summary("Lists the users' names; empty on a server without accounts.")
                .answers(ApiField.of("users", JsonType.ARRAY, "Every user's name, sorted."));
    }

    @Override
    public JsonObject handle(ApiCall call) {
        JsonObject result = new JsonObject();
        result.add("users", AccountAnswers.array(accounts.state().users().stream().map(UserAccount::name).sorted()
                .toList()));
        return result;
    }
}
