package dev.switchboard.server.http;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.Multibinder;

/**
 * The Guice module of one family of routes (backends, sessions, plugins, ...): each family lists its routes in
 * {@link #configureRoutes()} and they join the set {@link ApiServer} serves.
 */
public abstract class RouteFamilyModule extends AbstractModule {
    private Multibinder<ApiRoute> routes;

    @Override
    protected final void configure() {
        routes = Multibinder.newSetBinder(binder(), ApiRoute.class);
        configureRoutes();
    }

    /** Calls {@link #route} for each route of the family. */
    protected abstract void configureRoutes();

    /** Serves {@code type}, created by Guice through its {@code @Inject} constructor. */
    protected final void route(Class<? extends ApiRoute> type) {
        bind(type);
        routes.addBinding().to(type);
    }
}
