package dev.switchboard.server.routes;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.Multibinder;
import dev.switchboard.server.http.ApiRoute;

/** Binds every API route into the set the HTTP layer serves. */
public final class RoutesModule extends AbstractModule {
    @Override
    protected void configure() {
        Multibinder<ApiRoute> routes = Multibinder.newSetBinder(binder(), ApiRoute.class);
        bind(GetNewSessionRoute.class);
        routes.addBinding().to(GetNewSessionRoute.class);
        bind(ListBackendTypesRoute.class);
        routes.addBinding().to(ListBackendTypesRoute.class);
        bind(ListBackendsRoute.class);
        routes.addBinding().to(ListBackendsRoute.class);
        bind(AddNewBackendRoute.class);
        routes.addBinding().to(AddNewBackendRoute.class);
        bind(EditBackendRoute.class);
        routes.addBinding().to(EditBackendRoute.class);
        bind(DeleteBackendRoute.class);
        routes.addBinding().to(DeleteBackendRoute.class);
        bind(ToggleBackendRoute.class);
        routes.addBinding().to(ToggleBackendRoute.class);
        bind(RestartBackendsRoute.class);
        routes.addBinding().to(RestartBackendsRoute.class);
        bind(FreeBackendMemoryRoute.class);
        routes.addBinding().to(FreeBackendMemoryRoute.class);
        bind(GetBackendLogsRoute.class);
        routes.addBinding().to(GetBackendLogsRoute.class);
        bind(ListPluginsRoute.class);
        routes.addBinding().to(ListPluginsRoute.class);
    }
}
