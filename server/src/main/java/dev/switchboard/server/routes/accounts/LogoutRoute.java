package dev.switchboard.server.routes.accounts;

import com.google.gson.JsonObject;
import dev.switchboard.server.accounts.Accounts;
import dev.switchboard.server.http.ApiCall;
import dev.switchboard.server.http.ApiRoute;
import dev.switchboard.server.http.RouteDoc;
import dev.switchboard.server.sessions.Permission;
import jakarta.inject.Inject;

/** {@code Logout} (SwarmUI's): ends the caller's login and every session made through it, and drops the cookie. */
final class LogoutRoute implements ApiRoute {
    private final Accounts accounts;

    @Inject
    LogoutRoute(Accounts accounts) {
        this.accounts = accounts;
    }

    @Override
    public String name() {
        return "Logout";
    }

    @Override
    public boolean audited() {
        return true;
    }

    @Override
    public Permission permission() {
        return Permission.FUNDAMENTAL;
    }

    @Override
    public RouteDoc doc() {
        return RouteDoc.summary("Ends the login the session was made through (its cookie stops working and every"
                + " session made through it ends) and clears the login cookie (Max-Age=0). A session made with an API"
                + " key, or on a server without accounts, has no login to end; the cookie is cleared all the same.")
                .answers(AccountAnswers.SUCCESS);
    }

    @Override
    public JsonObject handle(ApiCall call) {
        accounts.logout(AccountAnswers.caller(call));
        call.addResponseHeader(LoginCookie.cleared());
        return AccountAnswers.success();
    }
}
