package dev.switchboard.server.metrics;

import dev.switchboard.server.backends.BackendRegistry;
import dev.switchboard.server.backends.BackendSnapshot;
import dev.switchboard.server.backends.InitListener;
import dev.switchboard.server.dispatch.Dispatcher;
import dev.switchboard.server.dispatch.JobObserver;
import dev.switchboard.server.http.RequestObserver;
import dev.switchboard.server.plugins.BackendTypeRegistry;
import dev.switchboard.server.plugins.PluginHost;
import dev.switchboard.server.plugins.PluginInfo;
import dev.switchboard.server.plugins.RegisteredBackendType;
import dev.switchboard.server.store.StoreListener;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.undertow.server.HttpHandler;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One server's metrics: the registry with the JVM and process binders, the listeners the server's parts are given
 * ({@link #requests()}, {@link #store()}, {@link #inits()}, {@link #jobs()}) and the gauges read from its parts once
 * they exist ({@link #bindPlugins}, {@link #bindBackends}, {@link #bindQueue}). {@link #handler()} serves them.
 */
public final class ServerMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final RequestMetrics requests = new RequestMetrics(registry);
    private final StoreMetrics store = new StoreMetrics(registry);
    private final InitMetrics inits = new InitMetrics(registry);
    private JobMetrics jobs;

    public ServerMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmInfoMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    /** @return the observer of every answered HTTP request */
    public RequestObserver requests() {
        return requests;
    }

    /** @return the listener of every write of the backends file */
    public StoreListener store() {
        return store;
    }

    /** @return the listener of every backend initialisation attempt */
    public InitListener inits() {
        return inits;
    }

    /**
     * Returns the observer of the dispatcher's jobs.
     *
     * @throws IllegalStateException before {@link #bindBackends}, which tells it where backend types are found
     */
    public synchronized JobObserver jobs() {
        if (jobs == null) {
            throw new IllegalStateException("bindBackends must come first");
        }
        return jobs;
    }

    /**
     * {@code switchboard_plugins{state}} (plugins found, by PF4J state) and {@code
     * switchboard_plugin_load_failures} (plugins refused or failed, each with a reason in {@code ListPlugins}); the
     * plugins are loaded once, at start-up, so both are fixed from then on.
     */
    public void bindPlugins(PluginHost plugins) {
        List<PluginInfo> found = plugins.plugins();
        Map<String, Long> byState = new TreeMap<>();
        found.forEach(plugin -> byState.merge(plugin.state(), 1L, Long::sum));
        byState.forEach((state, count) -> Gauge.builder("switchboard.plugins", count, Long::doubleValue)
                .description("Plugins found, by state").tag("state", state).strongReference(true).register(registry));
        long failures = found.stream().filter(plugin -> plugin.error().isPresent()).count();
        Gauge.builder("switchboard.plugin.load.failures", failures, Long::doubleValue)
                .description("Plugins that failed to load or were refused").strongReference(true).register(registry);
    }

    /** {@code switchboard_backends{type, status}} for every registered type, and its init and job series at zero. */
    public synchronized void bindBackends(BackendRegistry backends, BackendTypeRegistry types) {
        List<String> typeIds = types.types().stream().map(RegisteredBackendType::id).toList();
        new BackendGauges(backends).register(registry, typeIds);
        typeIds.forEach(inits::register);
        jobs = new JobMetrics(registry, id -> backends.find(id).map(BackendSnapshot::typeId));
        typeIds.forEach(jobs::register);
    }

    /** {@code switchboard_jobs_queued}: the jobs waiting for a backend now. */
    public void bindQueue(Dispatcher dispatcher) {
        Gauge.builder("switchboard.jobs.queued", dispatcher, Dispatcher::queuedTotal)
                .description("Jobs waiting for a backend").strongReference(true).register(registry);
    }

    /** @return the handler of {@code GET /metrics} */
    public HttpHandler handler() {
        return new MetricsHandler(registry);
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
