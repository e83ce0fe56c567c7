package dev.switchboard.plugins.comfyui.byaddress;

import static java.util.Objects.requireNonNull;

import dev.switchboard.api.Backend;
import dev.switchboard.api.BackendContext;
import dev.switchboard.api.BackendStatus;
import dev.switchboard.api.generation.GenerationException;
import dev.switchboard.api.generation.GenerationJob;
import dev.switchboard.api.generation.GenerationOutput;
import dev.switchboard.api.generation.ImageGenerator;
import dev.switchboard.plugins.comfyui.connection.ComfyUiClient;
import dev.switchboard.plugins.comfyui.connection.ComfyUiConnection;
import dev.switchboard.plugins.comfyui.connection.ComfyUiException;
import dev.switchboard.plugins.comfyui.connection.ComfyUiTimeouts;
import dev.switchboard.plugins.comfyui.connection.LoadedObjectInfo;
import dev.switchboard.plugins.comfyui.connection.ObjectInfo;
import dev.switchboard.plugins.comfyui.generation.ComfyUiGenerator;
import dev.switchboard.plugins.comfyui.generation.JobTimeouts;
import dev.switchboard.plugins.support.SharedHttpClient;

/**
 * A backend that uses a ComfyUI server someone else runs, reached by its address ({@code comfyui_api}).
 *
 * <p>{@link #init()} loads the server's node types and model lists from {@code /object_info} and then
 * reports {@code running}; from then on a {@link HealthMonitor} probes the server periodically. With
 * {@code AllowIdle}, an unreachable server makes the backend {@code idle} instead of failing (at init and
 * later); without it, a server that stops answering makes the backend {@code errored} with the reason.
 * {@link #shutdown()} only lets go of connections: it never touches the remote server. It generates through the
 * shared {@link ComfyUiGenerator}.
 */
public final class ComfyUiApiBackend implements Backend, ImageGenerator {
    private final BackendContext context;
    private final ComfyUiApiSettings settings;
    private final ComfyUiTimeouts timeouts;
    private final SharedHttpClient http;
    private final LoadedObjectInfo objectInfo;
    private final ComfyUiGenerator generator;
    private final Object lock = new Object();

    // Guarded by lock.
    private ComfyUiConnection connection;
    private HealthMonitor monitor;
    private boolean shutDown;

    /**
     * Creates the backend with an HTTP client of its own, and advertises the features every ComfyUI backend
     * starts with.
     *
     * @param context what the host gives this instance
     * @param timeouts how long to wait for what
     */
    public ComfyUiApiBackend(BackendContext context, ComfyUiTimeouts timeouts) {
        this(context, timeouts, ComfyUiClient.newSharedHttp(timeouts.connect()));
    }

    /**
     * Creates the backend, which takes a share of {@code http} while it is connected (its connect timeout
     * wins over the one in {@code timeouts}), and advertises the features every ComfyUI backend starts with.
     *
     * @param context what the host gives this instance
     * @param timeouts how long to wait for what
     * @param http the HTTP client this backend shares with the other backends of its type
     */
    ComfyUiApiBackend(BackendContext context, ComfyUiTimeouts timeouts, SharedHttpClient http) {
        this(context, timeouts, http, JobTimeouts.DEFAULTS);
    }

    /**
     * Creates the backend with the deadlines of its jobs.
     *
     * @param context what the host gives this instance
     * @param timeouts how long to wait for what
     * @param http the HTTP client this backend shares with the other backends of its type
     * @param jobTimeouts how long a generation waits for what
     */
    ComfyUiApiBackend(BackendContext context, ComfyUiTimeouts timeouts, SharedHttpClient http,
            JobTimeouts jobTimeouts) {
        this.context = requireNonNull(context, "context is null");
        this.generator = new ComfyUiGenerator(jobTimeouts, context.logger());
        this.timeouts = requireNonNull(timeouts, "timeouts is null");
        this.http = requireNonNull(http, "http is null");
        this.settings = new ComfyUiApiSettings(context.settings());
        this.objectInfo = new LoadedObjectInfo(context);
    }

    @Override
    public void init() throws Exception {
        context.setMaxUsages(settings.maxUsages());
        if (settings.address().isEmpty()) {
            context.setStatus(BackendStatus.DISABLED, "No address is set. Enter ComfyUI's address, for example "
                    + "http://127.0.0.1:8188, to use this backend.");
            return;
        }
        ComfyUiConnection opened = new ComfyUiConnection(settings.address(), settings.apiBase(),
                "Switchboard/" + context.serverVersion(), http, timeouts);
        HealthMonitor watcher = new HealthMonitor(context, settings.address(), timeouts.probeInterval(),
                settings.allowIdle(), opened::probe, () -> opened.objectInfo().thenApply(this::publish));
        synchronized (lock) {
            if (shutDown) {
                opened.close();
                throw new IllegalStateException("The backend was shut down before it could start.");
            }
            connection = opened;
            monitor = watcher;
        }
        context.setStatus(BackendStatus.LOADING, "Loading node types from " + settings.address());
        try {
            context.setStatus(BackendStatus.RUNNING, publish(opened.await(opened.objectInfo())));
        } catch (ComfyUiException e) {
            // Only an unreachable server may idle; a server answering nonsense is a configuration problem.
            if (!settings.allowIdle() || !e.isUnreachable()) {
                throw e;
            }
            watcher.goIdle(e);
        }
        watcher.start();
    }

    @Override
    public void shutdown() {
        ComfyUiConnection opened;
        HealthMonitor watcher;
        synchronized (lock) {
            shutDown = true;
            opened = connection;
            watcher = monitor;
        }
        if (watcher != null) {
            watcher.stop();
        }
        if (opened != null) {
            opened.close();
        }
    }

    /**
     * Asks ComfyUI to unload its models ({@code POST /free}).
     *
     * @param systemRam whether system RAM should be freed as well
     * @return true once ComfyUI accepted
     * @throws ComfyUiException when ComfyUI refused or could not be reached
     * @throws IllegalStateException when the backend has no connection (not initialised, or shut down)
     */
    @Override
    public boolean freeMemory(boolean systemRam) throws ComfyUiException, InterruptedException {
        return connected().free(systemRam);
    }

    /**
     * Runs one job on the ComfyUI ({@link ComfyUiGenerator}).
     *
     * @throws GenerationException when ComfyUI refused or failed the job, or the backend is not connected
     */
    @Override
    public void generate(GenerationJob job, GenerationOutput output) throws GenerationException,
            InterruptedException {
        generator.generate(connected(), objectInfo.get(), job, output);
    }

    /** Reloads {@code /object_info} and reports the models, node types and features again. */
    @Override
    public void refreshModels() throws ComfyUiException, InterruptedException {
        ComfyUiConnection opened = connected();
        String message = publish(opened.await(opened.objectInfo()));
        if (context.status() == BackendStatus.RUNNING) {
            context.setStatusMessage(message);
        }
    }

    /**
     * Returns what the server's {@code /object_info} said at the last successful load.
     *
     * @return the node types and model lists; empty before the first load
     */
    public ObjectInfo objectInfo() {
        return objectInfo.get();
    }

    private ComfyUiConnection connected() {
        synchronized (lock) {
            if (connection == null || shutDown) {
                throw new IllegalStateException("The backend is not connected to ComfyUI.");
            }
            return connection;
        }
    }

    /** Keeps a loaded {@code /object_info}, advertises what it implies, and returns the running message. */
    private String publish(ObjectInfo loaded) {
        ObjectInfo info = objectInfo.publish(loaded);
        return "Connected: " + count(info.nodeTypes().size(), "node type") + ", " + count(info.modelCount(), "model");
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
