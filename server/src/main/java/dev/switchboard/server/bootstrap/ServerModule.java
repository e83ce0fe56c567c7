package dev.switchboard.server.bootstrap;

import com.google.inject.AbstractModule;
import dev.switchboard.server.backends.BackendService;
import dev.switchboard.server.backends.ServerIdentity;
import dev.switchboard.server.http.ApiServer;
import dev.switchboard.server.http.HttpOptions;
import dev.switchboard.server.plugins.BackendTypeRegistry;
import dev.switchboard.server.plugins.PluginHost;
import dev.switchboard.server.routes.RoutesModule;
import dev.switchboard.server.routes.SettingsLock;
import dev.switchboard.server.sessions.SessionService;

/**
 * Wires the request-serving part of the server. The stateful services are created and started by
 * {@link SwitchboardServer} in a fixed order (their start can fail with a message for the operator) and
 * handed in as instances.
 */
final class ServerModule extends AbstractModule {
    private final ServerOptions options;
    private final ServerIdentity identity;
    private final PluginHost plugins;
    private final BackendService backends;

    ServerModule(ServerOptions options, ServerIdentity identity, PluginHost plugins, BackendService backends) {
        this.options = options;
        this.identity = identity;
        this.plugins = plugins;
        this.backends = backends;
    }

    @Override
    protected void configure() {
        binder().requireExplicitBindings();
        binder().disableCircularProxies();
        binder().requireExactBindingAnnotations();
        bind(ServerIdentity.class).toInstance(identity);
        bind(PluginHost.class).toInstance(plugins);
        bind(BackendTypeRegistry.class).toInstance(plugins.registry());
        bind(BackendService.class).toInstance(backends);
        bind(SettingsLock.class).toInstance(new SettingsLock(options.lockSettings()));
        bind(HttpOptions.class).toInstance(new HttpOptions(options.host(), options.port(), options.maxRequestBytes(),
                options.access()));
        bind(SessionService.class);
        bind(ApiServer.class);
        install(new RoutesModule());
    }
}
