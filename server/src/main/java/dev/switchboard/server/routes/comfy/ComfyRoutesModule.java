package dev.switchboard.server.routes.comfy;

import dev.switchboard.server.http.RouteFamilyModule;

/** The ComfyUI extension's routes a SwarmUI master calls: ComfyGetNodeTypesForBackend. */
public final class ComfyRoutesModule extends RouteFamilyModule {
    @Override
    protected void configureRoutes() {
        route(ComfyGetNodeTypesForBackendRoute.class);
    }
}
