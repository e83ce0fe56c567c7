package dev.switchboard.server.bootstrap;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import dev.switchboard.server.accounts.Accounts;
import dev.switchboard.server.accounts.AccountsFile;
import dev.switchboard.server.accounts.PasswordHasher;
import dev.switchboard.server.apidocs.OpenApiHandler;
import dev.switchboard.server.backends.BackendManager;
import dev.switchboard.server.backends.LifecycleOptions;
import dev.switchboard.server.backends.ServerIdentity;
import dev.switchboard.server.dispatch.Dispatcher;
import dev.switchboard.server.generation.GenerationService;
import dev.switchboard.server.generation.SamplerNames;
import dev.switchboard.server.health.ProbeHandler;
import dev.switchboard.server.health.Readiness;
import dev.switchboard.server.http.ApiRoute;
import dev.switchboard.server.http.ApiServer;
import dev.switchboard.server.http.HttpEndpoint;
import dev.switchboard.server.http.HttpOptions;
import dev.switchboard.server.http.PermissionGate;
import dev.switchboard.server.limits.UserLimits;
import dev.switchboard.server.logging.LogRedaction;
import dev.switchboard.server.metrics.ServerMetrics;
import dev.switchboard.server.outputs.OutputStore;
import dev.switchboard.server.outputs.ViewHandler;
import dev.switchboard.server.plugins.ApiVersion;
import dev.switchboard.server.plugins.PluginCallRunner;
import dev.switchboard.server.plugins.PluginHost;
import dev.switchboard.server.routes.comfy.ComfyBackendDirectHandler;
import dev.switchboard.server.sessions.CallerResolver;
import dev.switchboard.server.sessions.Permission;
import dev.switchboard.server.sessions.SessionService;
import dev.switchboard.server.store.BackendStore;
import dev.switchboard.server.store.StoreException;
import dev.switchboard.server.web.StaticAssetHandler;
import dev.switchboard.server.web.WebAssets;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.PathHandler;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.Map;
import java.util.SortedSet;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Switchboard server. Starts its parts in order (metrics and the HTTP listener with its probes, store,
 * plugins, backends, the API) and stops them in reverse; a part that fails to start stops those already started.
 */
public final class SwitchboardServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SwitchboardServer.class);

    private final ServerOptions options;
    /** Limits given by a test instead of the accounts' roles; null to take the accounts'. */
    private final UserLimits limitsOverride;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private ApiServer http;
    private Readiness readiness;
    /** Who calls, for the paths outside the API; null until the users file is loaded. */
    private volatile CallerResolver callers;
    private boolean closed;

    private SwitchboardServer(ServerOptions options, UserLimits limitsOverride) {
        this.options = options;
        this.limitsOverride = limitsOverride;
    }

    /**
     * Starts a server; returns once it accepts requests. A plugin that fails to load (including one declaring a
     * backend type id an earlier plugin already provides) is refused alone and reported by {@code ListPlugins};
     * it never stops the start.
     *
     * @throws StartupException when it cannot start (data directory in use or unusable, port taken)
     */
    public static SwitchboardServer start(ServerOptions options) throws StartupException {
        return start(options, null);
    }

    /**
     * Starts a server whose users generate within the given limits instead of their roles' (for tests of the
     * dispatcher's limits without accounts).
     *
     * @param limits the limits, or null for the accounts' roles
     * @throws StartupException as {@link #start(ServerOptions)}
     */
    public static SwitchboardServer start(ServerOptions options, UserLimits limits) throws StartupException {
        SwitchboardServer server = new SwitchboardServer(options, limits);
        try {
            server.startParts();
            return server;
        } catch (StartupException | RuntimeException | Error e) {
            server.close();
            throw e;
        }
    }

    private void startParts() throws StartupException {
        ServerIdentity identity = new ServerIdentity(UUID.randomUUID().toString(), ServerVersion.read());
        // Metrics and probes first: the listener is bound before anything slow, so /healthz and /readyz answer
        // (and readiness says what is still loading) while the store, plugins and backends start.
        ServerMetrics metrics = new ServerMetrics();
        started.push(metrics);
        readiness = new Readiness();
        HttpEndpoint endpoint = new HttpEndpoint(new HttpOptions(options.host(), options.port(),
                options.maxRequestBytes(), options.access()), metrics.requests(), ProbeHandler.paths(readiness),
                Map.of("/metrics", new PermissionGate(Permission.VIEW_SERVER_METRICS, () -> callers,
                        metrics.handler())));
        started.push(endpoint);
        try {
            endpoint.start();
        } catch (IllegalStateException e) {
            // The message names the address and the reason, e.g. "Address already in use".
            throw new StartupException(e.getMessage(), e);
        }
        BackendStore store;
        try {
            store = BackendStore.open(options.dataDirectory(), metrics.store());
        } catch (StoreException e) {
            throw new StartupException(e.getMessage(), e);
        }
        started.push(store);
        readiness.storeLoaded(store.problem().isEmpty());
        SessionService sessions = new SessionService();
        Accounts accounts = openAccounts(sessions);

        PluginHost plugins = new PluginHost(options.pluginsDirectory(), ApiVersion.current());
        started.push(plugins);
        plugins.start();
        metrics.bindPlugins(plugins);
        readiness.pluginsLoaded();

        PluginCallRunner runner = new PluginCallRunner();
        started.push(runner);
        BackendManager backends = new BackendManager(store, plugins.registry(), runner, identity,
                LifecycleOptions.withStartTimeout(options.startTimeout()), options.dataDirectory().resolve("backends"),
                metrics.inits());
        // Pushed first so it is closed last: what the backends log while stopping is still redacted.
        started.push(LogRedaction.install(backends.registry().redactor()));
        started.push(backends);
        backends.load();
        metrics.bindBackends(backends.registry(), plugins.registry());

        // Started after the backends, so closed before them: waiting jobs fail, running ones are cancelled first.
        UserLimits limits = limitsOverride != null ? limitsOverride : accounts.limits();
        Dispatcher dispatcher = new Dispatcher(backends.registry(), options.dispatch(), metrics.jobs(), limits);
        started.push(dispatcher);
        accounts.addChangeListener(dispatcher::limitsChanged);
        metrics.bindQueue(dispatcher);
        OutputStore outputs = new OutputStore(options.dataDirectory().resolve("outputs"), Clock.systemDefaultZone());
        GenerationService generations = new GenerationService(dispatcher, outputs, options.dispatch(), limits);

        Injector injector = Guice.createInjector(Stage.PRODUCTION,
                new ServerModule(options, identity, plugins, backends, dispatcher, generations, outputs,
                        endpoint, sessions, accounts, limits));
        http = injector.getInstance(ApiServer.class);
        HttpHandler view = new ViewHandler(outputs.root(), accounts, new StaticAssetHandler(WebAssets.load()));
        HttpHandler comfyDirect = new PermissionGate(Permission.FUNDAMENTAL_MODEL_ACCESS, () -> accounts,
                new ComfyBackendDirectHandler(backends.registry(), SamplerNames.SAMPLERS, SamplerNames.SCHEDULERS,
                        view));
        HttpHandler pages = exchange -> (ComfyBackendDirectHandler.isItsPath(exchange.getRequestPath())
                ? comfyDirect : view).handleRequest(exchange);
        http.setFallbackHandler(new PathHandler(pages).addExactPath(OpenApiHandler.PATH,
                new PermissionGate(Permission.FUNDAMENTAL, () -> accounts,
                        new OpenApiHandler(http.routes(), identity.version()))));
        started.push(http);
        http.start();
        readiness.serving();
        // After the listener is up, so initialising thousands of backends never delays it.
        backends.startInits();
    }

    /**
     * Loads the users file. With at least one user, accounts are on: every request then needs a session of a
     * user, and the single shared {@code --required-authorization} cannot be combined with them (both use the
     * Authorization header).
     */
    private Accounts openAccounts(SessionService sessions) throws StartupException {
        Accounts accounts = new Accounts(new AccountsFile(options.dataDirectory()), new PasswordHasher(), sessions,
                Clock.systemUTC());
        accounts.problem().ifPresent(problem -> LOG.error("{}", problem));
        if (accounts.accountsEnabled() && options.access().requiresAuthorization()) {
            throw new StartupException("The users file " + options.dataDirectory().resolve(AccountsFile.FILE_NAME)
                    + " has users, so requests are checked by login or API key (Authorization: Bearer <key>);"
                    + " --required-authorization (or SWITCHBOARD_REQUIRED_AUTHORIZATION) cannot be combined with"
                    + " accounts. Remove it, and give scripts an API key instead.", null);
        }
        if (accounts.accountsEnabled()) {
            LOG.info("Accounts are on: {} users", accounts.state().users().size());
        } else {
            LOG.info("Accounts are off (the users file has no user): every caller is the local user");
        }
        callers = accounts;
        return accounts;
    }

    /** @return the port the API listens on */
    public int port() {
        return http.port();
    }

    /** @return the canonical names of every API route this server serves, e.g. {@code ListBackends}, sorted */
    public SortedSet<String> routeNames() {
        return http.routeNames();
    }

    /** @return every API route this server serves, in no particular order */
    public Collection<ApiRoute> routes() {
        return http.routes();
    }

    /** @return the base address, e.g. {@code http://127.0.0.1:7801} */
    public String url() {
        String host = options.host().contains(":") ? "[" + options.host() + "]" : options.host();
        return "http://" + host + ":" + port();
    }

    /** Stops accepting requests, shuts every backend down, unloads plugins, releases the data directory. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (readiness != null) {
            readiness.stopping();
        }
        while (!started.isEmpty()) {
            AutoCloseable part = started.pop();
            try {
                part.close();
            } catch (Exception | Error e) {
                LOG.warn("Stopping {} failed", part.getClass().getSimpleName(), e);
            }
        }
    }
}
