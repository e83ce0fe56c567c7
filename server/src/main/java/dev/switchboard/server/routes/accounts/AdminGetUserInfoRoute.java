package dev.switchboard.server.routes.accounts;

import com.google.gson.JsonObject;
import dev.switchboard.server.accounts.Accounts;
import dev.switchboard.server.accounts.UserAccount;
import dev.switchboard.server.accounts.UserNames;
import dev.switchboard.server.http.ApiCall;
import dev.switchboard.server.http.ApiError;
import dev.switchboard.server.http.ApiField;
import dev.switchboard.server.http.ApiParam;
import dev.switchboard.server.http.ApiRoute;
import dev.switchboard.server.http.JsonType;
import dev.switchboard.server.http.RouteDoc;
import dev.switchboard.server.sessions.Permission;
import jakarta.inject.Inject;

/** {@code AdminGetUserInfo} (SwarmUI's): one user's roles, permissions and creation time. */
final class AdminGetUserInfoRoute implements ApiRoute {
    private static final ApiParam NAME = ApiParam.requiredString("name", "The user to describe.");

    private final Accounts accounts;

    @Inject
    AdminGetUserInfoRoute(Accounts accounts) {
        this.accounts = accounts;
    }

    @Override
    public String name() {
        return "AdminGetUserInfo";
    }

    @Override
    public Permission permission() {
        return Permission.MANAGE_USERS;
    }

    @Override
    public RouteDoc doc() {
        return RouteDoc.summary("Describes one user.").params(NAME)
                .answers(ApiField.of("user_name", JsonType.STRING, "The user's name."),
                        ApiField.of("roles", JsonType.ARRAY, "The names of the user's roles."),
                        ApiField.of("permissions", JsonType.ARRAY, "The permission ids the user holds ('*' first,"
                                + " followed by every id, for an owner)."),
                        ApiField.of("created", JsonType.STRING, "When the user was added (ISO-8601)."));
    }

    @Override
    public JsonObject handle(ApiCall call) {
        String typed = NAME.readString(call);
        UserAccount user = accounts.user(typed).orElseThrow(() -> new ApiError("No user is named '"
                + UserNames.normalize(typed).orElse(typed.strip()) + "'."));
        JsonObject result = new JsonObject();
        result.addProperty("user_name", user.name());
        result.add("roles", AccountAnswers.array(user.roles()));
        result.add("permissions", AccountAnswers.array(Permission.listed(accounts.permissionsOf(user.name()))));
        result.addProperty("created", user.created().toString());
        return result;
    }
}
