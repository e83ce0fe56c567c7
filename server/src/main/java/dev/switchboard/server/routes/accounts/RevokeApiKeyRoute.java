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

/** {@code RevokeAPIKey} (Switchboard's own): revokes a key and ends the sessions made with it. */
final class RevokeApiKeyRoute implements ApiRoute {
    private static final ApiParam ID = ApiParam.requiredString("id", "The key's id, as ListAPIKeys lists it.");

    private final Accounts accounts;

    @Inject
    RevokeApiKeyRoute(Accounts accounts) {
        this.accounts = accounts;
    }

    @Override
    public String name() {
        return "RevokeAPIKey";
    }

    @Override
    public boolean audited() {
        return true;
    }

    @Override
    public Permission permission() {
        return Permission.MANAGE_API_KEYS;
    }

    @Override
    public RouteDoc doc() {
        return RouteDoc.summary("Switchboard's own: revokes an API key at once (the next request with it is refused)"
                + " and ends the sessions made with it. A user revokes their own keys; a user manager also those of"
                + " users holding no permission the manager lacks.")
                .params(ID).answers(AccountAnswers.SUCCESS);
    }

    @Override
    public JsonObject handle(ApiCall call) {
        String id = ID.readString(call);
        try {
            accounts.revokeApiKey(AccountAnswers.caller(call), id);
        } catch (AccountException e) {
            throw AccountAnswers.refusal(e);
        }
        return AccountAnswers.success();
    }
}
