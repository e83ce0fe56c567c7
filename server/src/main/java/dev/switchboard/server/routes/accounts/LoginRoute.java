package dev.switchboard.server.routes.accounts;

import com.google.gson.JsonObject;
import dev.switchboard.server.accounts.AccountException;
import dev.switchboard.server.accounts.Accounts;
import dev.switchboard.server.accounts.LoginResult;
import dev.switchboard.server.http.ApiCall;
import dev.switchboard.server.http.ApiField;
import dev.switchboard.server.http.ApiParam;
import dev.switchboard.server.http.ApiRoute;
import dev.switchboard.server.http.JsonType;
import dev.switchboard.server.http.RouteDoc;
import dev.switchboard.server.sessions.Permission;
import jakarta.inject.Inject;

/**
 * {@code Login} (SwarmUI's): checks a name and password and sets the login cookie; needs no session. A wrong name
 * or password answers {@code error_id} {@code invalid_login} (the same for both, and on a server without users),
 * too many failures {@code ratelimit}.
 */
final class LoginRoute implements ApiRoute {
    private static final ApiParam USERNAME = ApiParam.requiredString("username", "The user's name (any case).");
    private static final ApiParam PASSWORD = ApiParam.requiredString("password", "The user's password.");

    private final Accounts accounts;

    @Inject
    LoginRoute(Accounts accounts) {
        this.accounts = accounts;
    }

    @Override
    public String name() {
        return "Login";
    }

    @Override
    public boolean requiresSession() {
        return false;
    }

    /** Logins, failed ones too, are recorded in the audit log. */
    @Override
    public boolean audited() {
        return true;
    }

    @Override
    public Permission permission() {
        return Permission.PUBLIC;
    }

    @Override
    public RouteDoc doc() {
        return RouteDoc.summary("Logs a user in: sets the login cookie (swarm_token; Path=/; HttpOnly;"
                + " SameSite=Strict; Max-Age of 30 days), after which GetNewSession answers sessions of that user."
                + " Needs no session_id. A wrong name or password answers {\"error_id\":\"invalid_login\",\"error\":"
                + " ...} (the same for both, and on a server without users), too many failed attempts for the name"
                + " or from the address {\"error_id\":\"ratelimit\", ...}; both with HTTP 200.")
                .params(USERNAME, PASSWORD)
                .answers(ApiField.of("success", JsonType.STRING, "\"true\" (a string, as SwarmUI answers)."));
    }

    @Override
    public JsonObject handle(ApiCall call) {
        String username = USERNAME.readString(call);
        String password = PASSWORD.readString(call);
        LoginResult login;
        try {
            login = accounts.login(username, password, call.clientAddress());
        } catch (AccountException e) {
            throw AccountAnswers.refusal(e);
        }
        call.addResponseHeader(LoginCookie.set(login.token(), login.maxAgeSeconds()));
        JsonObject result = new JsonObject();
        result.addProperty("success", "true");
        return result;
    }
}
