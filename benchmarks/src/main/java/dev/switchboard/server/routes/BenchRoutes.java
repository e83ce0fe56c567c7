package dev.switchboard.server.routes;

import dev.switchboard.server.backends.BackendService;
import dev.switchboard.server.backends.ServerIdentity;
import dev.switchboard.server.http.ApiRoute;
import dev.switchboard.server.plugins.BackendTypeRegistry;
import dev.switchboard.server.sessions.SessionService;
import java.util.Set;

/**
 * Gives the in-process benchmarks the server's own route objects (package-private in the server), so they
 * measure exactly the code requests run. Lives in the routes package of the benchmarks module for that reason.
 */
public final class BenchRoutes {
    private BenchRoutes() {
    }

    /** ListBackends, ListBackendTypes and GetNewSession over the given services. */
    public static Set<ApiRoute> viewRoutes(BackendService backends, BackendTypeRegistry types,
            SessionService sessions) {
        return Set.of(new ListBackendsRoute(backends), new ListBackendTypesRoute(types),
                new GetNewSessionRoute(sessions, backends, new ServerIdentity("bench", "0")));
    }
}
