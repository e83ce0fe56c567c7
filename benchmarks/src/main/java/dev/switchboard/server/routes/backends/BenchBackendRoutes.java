package dev.switchboard.server.routes.backends;

import dev.switchboard.server.backends.BackendRegistry;
import dev.switchboard.server.http.ApiRoute;
import dev.switchboard.server.plugins.BackendTypeRegistry;
import java.util.Set;

/**
 * Gives the in-process benchmarks the server's own backend route objects (package-private in the server), so
 * they measure exactly the code requests run. Lives in the routes' package of the benchmarks module for that
 * reason.
 */
public final class BenchBackendRoutes {
    private BenchBackendRoutes() {
    }

    /** ListBackends and ListBackendTypes over the given services. */
    public static Set<ApiRoute> viewRoutes(BackendRegistry backends, BackendTypeRegistry types) {
        return Set.of(new ListBackendsRoute(backends), new ListBackendTypesRoute(types));
    }
}
