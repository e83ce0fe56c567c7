package dev.switchboard.server.routes.models;

import dev.switchboard.server.http.RouteFamilyModule;

/** The model routes: ListModels, SelectModel. */
public final class ModelRoutesModule extends RouteFamilyModule {
    @Override
    protected void configureRoutes() {
        route(ListModelsRoute.class);
        route(SelectModelRoute.class);
    }
}
