package dev.switchboard.server.plugins;

import static java.util.Objects.requireNonNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the backend-type plugins from one directory and registers what they contribute. This is the only
 * class the rest of the server uses to reach PF4J; everything else sees the {@link BackendTypeRegistry}.
 *
 * <p>Plugins are jar files, zip files (expanded in place by PF4J) or unpacked directories holding
 * {@code plugin.properties}, {@code classes/} and {@code lib/}. Each gets an isolated class loader that shares
 * only the JDK, the api, PF4J and SLF4J with the host. Plugin code runs only on guarded worker threads with a
 * deadline, so a plugin that throws, hangs or ships a broken descriptor fails alone: it is listed by
 * {@link #plugins()} with the reason, and the other plugins still load.
 *
 * <p>Thread-safe; {@link #start()} and {@link #close()} are called once each, by the server's lifecycle.
 */
public final class PluginHost implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PluginHost.class);
    private static final Duration DEFAULT_CALL_DEADLINE = Duration.ofSeconds(5);

    private final Path pluginsDirectory;
    private final SwitchboardPluginManager manager;
    private final BackendTypeReader reader;
    private final BackendTypeRegistry registry = new BackendTypeRegistry();
    private final Map<String, List<String>> typeIdsByPlugin = new HashMap<>();
    private boolean started;
    private boolean closed;
    private final PluginCallGuard guard;

    /**
     * Prepares a host; nothing is loaded before {@link #start()}.
     *
     * @param pluginsDirectory the absolute path of the plugins directory (it need not exist)
     * @param systemVersion the api version plugins' {@code plugin.requires} is checked against, e.g.
     *     {@link ApiVersion#current()}
     */
    public PluginHost(Path pluginsDirectory, String systemVersion) {
        this(pluginsDirectory, systemVersion, DEFAULT_CALL_DEADLINE);
    }

    PluginHost(Path pluginsDirectory, String systemVersion, Duration callDeadline) {
        this.pluginsDirectory = requireNonNull(pluginsDirectory, "pluginsDirectory is null");
        requireNonNull(systemVersion, "systemVersion is null");
        if (!pluginsDirectory.isAbsolute()) {
            throw new IllegalArgumentException("plugins directory must be an absolute path: " + pluginsDirectory);
        }
        if (!PluginDescriptorValidator.SEMANTIC_VERSION.matcher(systemVersion).matches()) {
            throw new IllegalArgumentException("system version is not a semantic version: " + systemVersion);
        }
        this.guard = new PluginCallGuard(callDeadline);
        this.reader = new BackendTypeReader(guard);
        this.manager = new SwitchboardPluginManager(pluginsDirectory, systemVersion, guard);
    }

    /**
     * Loads and starts every plugin found and registers their backend types. A plugin that fails (bad
     * descriptor, unmet {@code plugin.requires}, class-loading error, extension constructor or method that throws
     * or hangs, no backend types at all, a type id an earlier plugin already provides) does not stop the others:
     * it is recorded as failed with a reason that says what to do, and logged in one line. Of two plugins that
     * declare the same type id, the one loaded first (plugins load in order of their ids) keeps it and the other
     * is refused as a whole. A missing plugins directory is not an error: it is logged, and no types are
     * registered.
     *
     * @throws IllegalStateException when called twice, or after {@link #close()}
     */
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("the plugin host is closed");
        }
        if (started) {
            throw new IllegalStateException("the plugin host was already started");
        }
        started = true;
        if (!Files.isDirectory(pluginsDirectory)) {
            log.warn("Plugins directory {} does not exist or is not a directory: no backend types are available",
                    pluginsDirectory);
            return;
        }
        log.info("Loading plugins from {} (api version {})", pluginsDirectory, manager.getSystemVersion());
        loadAndStartPlugins();
        Map<String, List<RegisteredBackendType>> contributed = withoutClashes(readBackendTypes());
        List<RegisteredBackendType> types = contributed.values().stream().flatMap(List::stream).toList();
        registry.publish(types);
        contributed.forEach((pluginId, pluginTypes) ->
                typeIdsByPlugin.put(pluginId, pluginTypes.stream().map(RegisteredBackendType::id).toList()));
        for (RegisteredBackendType type : types) {
            log.info("Registered backend type {} from plugin {} {}", type.id(), type.pluginId(),
                    manager.getPlugin(type.pluginId()).getDescriptor().getVersion());
        }
        for (PluginInfo plugin : plugins()) {
            plugin.error().ifPresent(error ->
                    log.error("Plugin {} at {} ({}): {}", plugin.id(), plugin.path(), plugin.state(), error));
        }
        log.info("{} backend types registered from {} plugins", types.size(), contributed.size());
    }

    /**
     * Returns the registry. It is empty until {@link #start()} has returned normally.
     *
     * @return the same registry instance always
     */
    public BackendTypeRegistry registry() {
        return registry;
    }

    /**
     * Lists every plugin seen, including those that failed, in load order (which is by plugin id).
     *
     * @return an unmodifiable snapshot
     */
    public synchronized List<PluginInfo> plugins() {
        List<PluginInfo> infos = new ArrayList<>();
        for (PluginWrapper plugin : manager.loadedPlugins()) {
            PluginDescriptor descriptor = plugin.getDescriptor();
            infos.add(new PluginInfo(plugin.getPluginId(), orEmpty(descriptor.getVersion()),
                    orEmpty(descriptor.getProvider()), orEmpty(descriptor.getPluginDescription()),
                    plugin.getPluginPath(), stateName(plugin.getPluginState()), errorOf(plugin),
                    typeIdsByPlugin.getOrDefault(plugin.getPluginId(), List.of())));
        }
        for (SwitchboardPluginManager.LoadFailure failure : manager.loadFailures()) {
            infos.add(new PluginInfo(failure.label(), "", "", "", failure.path(), stateName(PluginState.FAILED),
                    Optional.of(failure.reason()), List.of()));
        }
        infos.sort(Comparator.comparing(PluginInfo::id).thenComparing(PluginInfo::path));
        return List.copyOf(infos);
    }

    /** Stops and unloads every plugin. Idempotent; never throws. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        // Not manager.stopPlugins(): in PF4J 3.15.0 it removes from the list it iterates over
        // (ConcurrentModificationException after the first plugin).
        List<PluginWrapper> startedPlugins = new ArrayList<>(manager.getStartedPlugins());
        Collections.reverse(startedPlugins);
        for (PluginWrapper plugin : startedPlugins) {
            try {
                manager.stopPlugin(plugin.getPluginId());
            } catch (RuntimeException e) {
                log.warn("Stopping plugin {} failed: {}", plugin.getPluginId(), FailureText.describe(e), e);
            }
        }
        for (PluginWrapper plugin : manager.getPlugins()) {
            try {
                manager.unloadPlugin(plugin.getPluginId());
            } catch (RuntimeException e) {
                log.warn("Unloading plugin {} failed: {}", plugin.getPluginId(), FailureText.describe(e), e);
            }
        }
        guard.close();
    }

    private void loadAndStartPlugins() {
        try {
            manager.loadPlugins();
        } catch (RuntimeException e) {
            // e.g. a dependency cycle between plugins: the plugins involved stay unresolved and are reported.
            log.error("Resolving plugin dependencies failed: {}", FailureText.describe(e), e);
        }
        manager.startPlugins();
    }

    private Map<String, List<RegisteredBackendType>> readBackendTypes() {
        Map<String, List<RegisteredBackendType>> contributed = new LinkedHashMap<>();
        List<PluginWrapper> startedPlugins = manager.getStartedPlugins().stream()
                .sorted(Comparator.comparing(PluginWrapper::getPluginId))
                .toList();
        for (PluginWrapper plugin : startedPlugins) {
            String pluginId = plugin.getPluginId();
            try {
                List<RegisteredBackendType> types = reader.read(plugin, manager.getExtensionClassNames(pluginId));
                if (types.isEmpty()) {
                    throw new PluginProblemException("Plugin '" + pluginId + "' contributes no backend types"
                            + " (is META-INF/extensions.idx missing?): annotate each BackendType class with"
                            + " @org.pf4j.Extension and build the plugin with the parent"
                            + " dev.switchboard:switchboard-plugins, whose annotation processor writes the index");
                }
                contributed.put(pluginId, types);
            } catch (PluginProblemException problem) {
                manager.markFailed(plugin, problem);
            }
        }
        return contributed;
    }

    /**
     * Refuses every plugin that declares a type id an earlier plugin (in load order) already provides, so each id
     * has exactly one owner and no plugin is half-registered.
     */
    private Map<String, List<RegisteredBackendType>> withoutClashes(
            Map<String, List<RegisteredBackendType>> contributed) {
        Map<String, String> pluginByTypeId = new HashMap<>();
        Map<String, List<RegisteredBackendType>> accepted = new LinkedHashMap<>();
        for (Map.Entry<String, List<RegisteredBackendType>> entry : contributed.entrySet()) {
            String pluginId = entry.getKey();
            Optional<RegisteredBackendType> clash = entry.getValue().stream()
                    .filter(type -> pluginByTypeId.containsKey(type.id()))
                    .findFirst();
            if (clash.isPresent()) {
                String typeId = clash.get().id();
                manager.markFailed(manager.getPlugin(pluginId), new PluginProblemException("Plugin '" + pluginId
                        + "' is refused: its backend type '" + typeId + "' is already provided by plugin '"
                        + pluginByTypeId.get(typeId) + "'; remove one of the two plugins from the plugins"
                        + " directory, or give the type an id of its own (e.g. prefixed with the project's name)"));
                continue;
            }
            entry.getValue().forEach(type -> pluginByTypeId.put(type.id(), pluginId));
            accepted.put(pluginId, entry.getValue());
        }
        return accepted;
    }

    private Optional<String> errorOf(PluginWrapper plugin) {
        String pluginId = plugin.getPluginId();
        Optional<String> rejection = manager.rejection(pluginId);
        if (rejection.isPresent()) {
            return rejection;
        }
        Throwable failure = plugin.getFailedException();
        if (failure instanceof PluginProblemException) {
            return Optional.of(failure.getMessage());
        }
        if (failure != null) {
            return Optional.of("Plugin '" + pluginId + "' failed: " + FailureText.describe(failure));
        }
        PluginState state = plugin.getPluginState();
        boolean neverStarted = state == PluginState.CREATED || state == PluginState.RESOLVED
                || state == PluginState.UNLOADED;
        if (neverStarted && !closed) {
            return Optional.of("Plugin '" + pluginId + "' was not started: its plugin dependencies could not be"
                    + " resolved");
        }
        return Optional.empty();
    }

    private static String stateName(PluginState state) {
        return state.name().toLowerCase(Locale.ROOT);
    }

    private static String orEmpty(String text) {
        return text == null ? "" : text;
    }
}
