package dev.switchboard.server.routes.accounts;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.switchboard.server.accounts.Accounts;
import dev.switchboard.server.accounts.ApiKey;
import dev.switchboard.server.http.ApiCall;
import dev.switchboard.server.http.ApiError;
import dev.switchboard.server.http.ApiField;
import dev.switchboard.server.http.ApiParam;
import dev.switchboard.server.http.ApiRoute;
import dev.switchboard.server.http.JsonType;
import dev.switchboard.server.http.RouteDoc;
import dev.switchboard.server.sessions.Identity;
import dev.switchboard.server.sessions.Permission;
import jakarta.inject.Inject;
import java.util.Comparator;

/** {@code ListAPIKeys} (Switchboard's own): the caller's API keys, or every user's for a user manager. */
final class ListApiKeysRoute implements ApiRoute {
    private static final ApiParam ALL = ApiParam.optionalBool("all", false,
            "List every user's keys instead of the caller's own; needs the permission 'manage_users'.");

    private final Accounts accounts;

    @Inject
    ListApiKeysRoute(Accounts accounts) {
        this.accounts = accounts;
    }

    @Override
    public String name() {
        return "ListAPIKeys";
    }

    @Override
    public Permission permission() {
        return Permission.MANAGE_API_KEYS;
    }

    @Override
    public RouteDoc doc() {
        return RouteDoc.summary("Switchboard's own: lists API keys (never their text), oldest first.")
                .params(ALL)
                .answers(ApiField.of("keys", JsonType.ARRAY, "Each key's 'id', 'user', 'label', 'created'"
                        + " (ISO-8601) and 'expires' (ISO-8601, or null for never)."));
    }

    @Override
    public JsonObject handle(ApiCall call) {
        boolean all = ALL.readBool(call);
        Identity caller = AccountAnswers.caller(call);
        if (all && !caller.has(Permission.MANAGE_USERS)) {
            throw new ApiError("Listing every user's API keys needs the permission '" + Permission.MANAGE_USERS.id()
                    + "'.");
        }
        JsonArray keys = new JsonArray();
        accounts.apiKeys(caller, all).stream().sorted(Comparator.comparing(ApiKey::created))
                .forEach(key -> keys.add(ApiKeyViews.listed(key)));
        JsonObject result = new JsonObject();
        result.add("keys", keys);
        return result;
    }
}
