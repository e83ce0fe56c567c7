package dev.switchboard.server.routes.sessions;

import dev.switchboard.server.http.RouteFamilyModule;

/** The session routes: GetNewSession. */
public final class SessionRoutesModule extends RouteFamilyModule {
    @Override
    protected void configureRoutes() {
        route(GetNewSessionRoute.class);
    }
}
