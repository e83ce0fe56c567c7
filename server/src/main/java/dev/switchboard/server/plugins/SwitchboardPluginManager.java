package dev.switchboard.server.plugins;

import static java.util.Objects.requireNonNull;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pf4j.CompoundPluginLoader;
import org.pf4j.CompoundPluginRepository;
import org.pf4j.DefaultPluginManager;
import org.pf4j.DefaultPluginRepository;
import org.pf4j.InvalidPluginDescriptorException;
import org.pf4j.JarPluginRepository;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginFactory;
import org.pf4j.PluginLoader;
import org.pf4j.PluginRepository;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.pf4j.RuntimeMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PF4J's default manager, changed where its defaults do not suit a server: always deployment mode (jar files,
 * zip files and unpacked directories under one absolute root), plugin paths in name order, class loaders isolated
 * behind an {@link AllowListClassLoader}, descriptors validated, {@code plugin.requires} checked against the api
 * version, plugin classes started under a deadline, and every plugin that cannot be loaded remembered with a
 * readable reason instead of only logged.
 *
 * <p>Not thread-safe (like PF4J's managers); {@link PluginHost} serializes access.
 */
final class SwitchboardPluginManager extends DefaultPluginManager {
    private static final Logger log = LoggerFactory.getLogger(SwitchboardPluginManager.class);

    // PF4J calls the create*() methods from its constructor, before these fields are assigned: the objects those
    // methods return must read the fields only later, when plugins are loaded and started.
    private final PluginCallGuard guard;
    private final List<PluginWrapper> loaded = new ArrayList<>();
    private final List<LoadFailure> loadFailures = new ArrayList<>();
    private final Map<String, String> rejections = new HashMap<>();

    SwitchboardPluginManager(Path pluginsRoot, String systemVersion, PluginCallGuard guard) {
        super(pluginsRoot);
        this.guard = requireNonNull(guard, "guard is null");
        setSystemVersion(requireNonNull(systemVersion, "systemVersion is null"));
        // A plugin whose dependencies cannot be resolved is dropped; the others still load.
        setResolveRecoveryStrategy(ResolveRecoveryStrategy.IGNORE_PLUGIN_AND_CONTINUE);
    }

    /** Every plugin that got as far as a class loader, in load order, including ones later unloaded. */
    List<PluginWrapper> loadedPlugins() {
        return List.copyOf(loaded);
    }

    /** Every plugin path that could not be loaded at all. */
    List<LoadFailure> loadFailures() {
        return List.copyOf(loadFailures);
    }

    /** Why a loaded plugin was disabled by validation (e.g. an unmet {@code plugin.requires}), if it was. */
    Optional<String> rejection(String pluginId) {
        return Optional.ofNullable(rejections.get(pluginId));
    }

    /** Stops a started plugin and marks it failed; its types must not be used. */
    void markFailed(PluginWrapper plugin, PluginProblemException problem) {
        if (plugin.getPluginState().isStarted()) {
            stopPlugin(plugin.getPluginId(), false);
        }
        plugin.setPluginState(PluginState.FAILED);
        plugin.setFailedException(problem);
    }

    @Override
    public RuntimeMode getRuntimeMode() {
        // Development mode reads plugins from build folders and would ignore the packaged layout.
        return RuntimeMode.DEPLOYMENT;
    }

    @Override
    protected PluginRepository createPluginRepository() {
        Comparator<File> byName = Comparator.comparing(File::getName);
        JarPluginRepository jars = new JarPluginRepository(getPluginsRoots());
        jars.setComparator(byName);
        DefaultPluginRepository directoriesAndZips = new DefaultPluginRepository(getPluginsRoots());
        directoriesAndZips.setComparator(byName);
        return new CompoundPluginRepository().add(jars).add(directoriesAndZips);
    }

    @Override
    protected PluginLoader createPluginLoader() {
        AllowListClassLoader parent = new AllowListClassLoader(SwitchboardPluginManager.class.getClassLoader());
        return new CompoundPluginLoader()
                .add(new IsolatingJarPluginLoader(this, parent))
                .add(new IsolatingDirectoryPluginLoader(this, parent));
    }

    @Override
    protected PluginFactory createPluginFactory() {
        return wrapper -> new GuardedPlugin(wrapper, guard);
    }

    @Override
    protected void validatePluginDescriptor(PluginDescriptor descriptor) {
        try {
            new PluginDescriptorValidator(getVersionManager(), getSystemVersion()).validate(descriptor);
        } catch (InvalidPluginDescriptorException e) {
            throw new RejectedDescriptorException(descriptor, e.getMessage());
        }
        PluginWrapper holder = getPlugin(descriptor.getPluginId());
        if (holder != null) {
            throw new RejectedDescriptorException(descriptor, "plugin.id '" + descriptor.getPluginId()
                    + "' is already taken by the plugin at " + holder.getPluginPath());
        }
    }

    /**
     * Always true: {@code plugin.requires} is checked by {@link #loadPluginFromPath} instead, which records one
     * reason with the fix. PF4J's own check would log two more warnings for the same plugin.
     */
    @Override
    protected boolean isPluginValid(PluginWrapper plugin) {
        return true;
    }

    private boolean requiresIsMet(PluginWrapper plugin) {
        String requires = plugin.getDescriptor().getRequires().trim();
        if (!isExactVersionAllowed() && requires.matches("^\\d+\\.\\d+\\.\\d+$")) {
            // PF4J's reading of a bare version: at least that version.
            requires = ">=" + requires;
        }
        return getSystemVersion().equals("0.0.0")
                || getVersionManager().checkVersionConstraint(getSystemVersion(), requires);
    }

    private void disableForUnmetRequires(PluginWrapper plugin) {
        plugin.setPluginState(PluginState.DISABLED);
        rejections.put(plugin.getPluginId(), "Plugin '" + plugin.getPluginId() + "' requires api version '"
                + plugin.getDescriptor().getRequires().trim() + "', but this server implements api version "
                + getSystemVersion() + ": install a build of the plugin whose plugin.requires includes "
                + getSystemVersion() + " (rebuilt against switchboard-api " + getSystemVersion()
                + "), or a Switchboard version that implements the api it needs");
    }

    @Override
    protected PluginWrapper loadPluginFromPath(Path pluginPath) {
        try {
            PluginWrapper plugin = super.loadPluginFromPath(pluginPath);
            if (plugin != null) {
                if (!requiresIsMet(plugin)) {
                    disableForUnmetRequires(plugin);
                }
                loaded.add(plugin);
            }
            return plugin;
        } catch (RuntimeException | LinkageError e) {
            String label = pluginPath.getFileName().toString();
            String reason;
            if (e instanceof RejectedDescriptorException rejected) {
                label = rejected.pluginId().orElse(label);
                reason = "Invalid plugin descriptor: " + rejected.getMessage();
            } else {
                reason = "Cannot load plugin: " + FailureText.describe(e);
            }
            log.debug("Cannot load plugin {}", pluginPath, e);
            loadFailures.add(new LoadFailure(pluginPath, label, reason));
            return null;
        }
    }

    /** A plugin path that PF4J could not turn into a plugin. */
    record LoadFailure(Path path, String label, String reason) {
        LoadFailure {
            requireNonNull(path, "path is null");
            requireNonNull(label, "label is null");
            requireNonNull(reason, "reason is null");
        }
    }

    /** Carries the raw id of a descriptor that failed validation, so the failure can be listed under it. */
    private static final class RejectedDescriptorException extends InvalidPluginDescriptorException {
        private final String pluginId;

        RejectedDescriptorException(PluginDescriptor descriptor, String message) {
            super(message);
            this.pluginId = descriptor.getPluginId();
        }

        Optional<String> pluginId() {
            return pluginId == null || pluginId.isBlank() ? Optional.empty() : Optional.of(pluginId);
        }
    }
}
