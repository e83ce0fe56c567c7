package dev.switchboard.server.routes.backends;

import dev.switchboard.server.http.RouteFamilyModule;

/** The BackendAPI routes and GetBackendLogs. */
public final class BackendRoutesModule extends RouteFamilyModule {
    @Override
    protected void configureRoutes() {
        route(ListBackendTypesRoute.class);
        route(ListBackendsRoute.class);
        route(AddNewBackendRoute.class);
        route(EditBackendRoute.class);
        route(DeleteBackendRoute.class);
        route(ToggleBackendRoute.class);
        route(RestartBackendsRoute.class);
        route(FreeBackendMemoryRoute.class);
        route(GetBackendLogsRoute.class);
    }
}
