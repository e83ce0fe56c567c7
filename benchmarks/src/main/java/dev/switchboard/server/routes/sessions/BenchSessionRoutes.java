package dev.switchboard.server.routes.sessions;

import dev.switchboard.server.backends.BackendRegistry;
import dev.switchboard.server.backends.ServerIdentity;
import dev.switchboard.server.http.ApiRoute;
import dev.switchboard.server.sessions.CallerResolver;
import dev.switchboard.server.sessions.SessionService;

/**
 * Gives the in-process benchmarks the server's own GetNewSession route (package-private in the server). Lives in
 * the route's package of the benchmarks module for that reason.
 */
public final class BenchSessionRoutes {
    private BenchSessionRoutes() {
    }

    /** GetNewSession over the given services, on a server without accounts. */
    public static ApiRoute getNewSession(SessionService sessions, BackendRegistry backends) {
        return new GetNewSessionRoute(sessions, CallerResolver.SINGLE_USER, backends, new ServerIdentity("bench", "0"));
    }
}
