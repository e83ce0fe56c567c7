package dev.switchboard.server.routes.generation;

import dev.switchboard.server.http.RouteFamilyModule;

/** The generation routes: GenerateText2Image(WS), InterruptAll, GetCurrentStatus, ListT2IParams, TriggerRefresh. */
public final class GenerationRoutesModule extends RouteFamilyModule {
    @Override
    protected void configureRoutes() {
        bind(CurrentStatus.class);
        bind(T2IParamsView.class);
        route(GenerateText2ImageRoute.class);
        route(GenerateText2ImageWsRoute.class);
        route(InterruptAllRoute.class);
        route(GetCurrentStatusRoute.class);
        route(ListT2IParamsRoute.class);
        route(TriggerRefreshRoute.class);
    }
}
