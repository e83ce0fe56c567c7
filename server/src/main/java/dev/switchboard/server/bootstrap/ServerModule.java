package dev.switchboard.server.bootstrap;

import com.google.inject.AbstractModule;
import dev.switchboard.server.accounts.Accounts;
import dev.switchboard.server.audit.AuditLog;
import dev.switchboard.server.audit.AuditModule;
import dev.switchboard.server.backends.BackendManager;
import dev.switchboard.server.backends.BackendOperations;
import dev.switchboard.server.backends.BackendRegistry;
import dev.switchboard.server.backends.ServerIdentity;
import dev.switchboard.server.dispatch.Dispatcher;
import dev.switchboard.server.generation.GenerationService;
import dev.switchboard.server.generation.ModelCatalog;
import dev.switchboard.server.http.ApiServer;
import dev.switchboard.server.http.HttpEndpoint;
import dev.switchboard.server.limits.UserLimits;
import dev.switchboard.server.outputs.OutputGallery;
import dev.switchboard.server.outputs.OutputStore;
import dev.switchboard.server.plugins.BackendTypeRegistry;
import dev.switchboard.server.plugins.PluginHost;
import dev.switchboard.server.routes.accounts.AccountRoutesModule;
import dev.switchboard.server.routes.backends.BackendRoutesModule;
import dev.switchboard.server.routes.backends.SettingsLock;
import dev.switchboard.server.routes.comfy.ComfyRoutesModule;
import dev.switchboard.server.routes.generation.GenerationRoutesModule;
import dev.switchboard.server.routes.models.ModelRoutesModule;
import dev.switchboard.server.routes.outputs.OutputRoutesModule;
import dev.switchboard.server.routes.plugins.PluginRoutesModule;
import dev.switchboard.server.routes.sessions.SessionRoutesModule;
import dev.switchboard.server.sessions.CallerResolver;
import dev.switchboard.server.sessions.SessionService;
import java.time.Clock;

/**
 * Wires the request-serving part of the server. The stateful services are created and started by
 * {@link SwitchboardServer} in a fixed order (their start can fail with a message for the operator) and
 * handed in as instances.
 */
final class ServerModule extends AbstractModule {
    private final ServerOptions options;
    private final ServerIdentity identity;
    private final PluginHost plugins;
    private final BackendManager backends;
    private final Dispatcher dispatcher;
    private final GenerationService generations;
    private final OutputStore outputs;
    private final HttpEndpoint endpoint;
    private final SessionService sessions;
    private final Accounts accounts;
    private final UserLimits limits;

    ServerModule(ServerOptions options, ServerIdentity identity, PluginHost plugins, BackendManager backends,
                 Dispatcher dispatcher, GenerationService generations, OutputStore outputs, HttpEndpoint endpoint,
                 SessionService sessions, Accounts accounts, UserLimits limits) {
        this.limits = limits;
        this.sessions = sessions;
        this.accounts = accounts;
        this.endpoint = endpoint;
        this.dispatcher = dispatcher;
        this.generations = generations;
        this.outputs = outputs;
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
        bind(BackendRegistry.class).toInstance(backends.registry());
        bind(BackendOperations.class).toInstance(backends.operations());
        bind(Dispatcher.class).toInstance(dispatcher);
        bind(GenerationService.class).toInstance(generations);
        bind(ModelCatalog.class).toInstance(new ModelCatalog(backends.registry()));
        bind(SettingsLock.class).toInstance(new SettingsLock(options.lockSettings()));
        bind(HttpEndpoint.class).toInstance(endpoint);
        bind(SessionService.class).toInstance(sessions);
        bind(Accounts.class).toInstance(accounts);
        bind(CallerResolver.class).toInstance(accounts);
        bind(UserLimits.class).toInstance(limits);
        bind(ApiServer.class);
        install(new AuditModule(new AuditLog(options.dataDirectory(), Clock.systemUTC())));
        install(new SessionRoutesModule());
        install(new BackendRoutesModule());
        install(new PluginRoutesModule());
        install(new GenerationRoutesModule());
        install(new ModelRoutesModule());
        install(new ComfyRoutesModule());
        install(new OutputRoutesModule(new OutputGallery(outputs.root())));
        install(new AccountRoutesModule());
    }
}
