package dev.switchboard.server.routes.plugins;

import dev.switchboard.server.http.RouteFamilyModule;

/** The plugin routes: ListPlugins. */
public final class PluginRoutesModule extends RouteFamilyModule {
    @Override
    protected void configureRoutes() {
        route(ListPluginsRoute.class);
    }
}
