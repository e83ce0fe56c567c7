package dev.switchboard.server.plugins;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.atomic.AtomicReference;
import org.pf4j.Plugin;
import org.pf4j.PluginWrapper;

/**
 * What PF4J starts and stops for each plugin. It creates the plugin's optional {@code plugin.class} (a
 * {@link Plugin} subclass with a public no-argument constructor) and calls its {@code start()} and
 * {@code stop()} through the {@link PluginCallGuard}, so a plugin class that throws an {@link Error} or hangs
 * fails only its own plugin. Stopping never throws: a failure is logged and shutdown goes on.
 */
final class GuardedPlugin extends Plugin {
    private final PluginWrapper wrapper;
    private final PluginCallGuard guard;
    private volatile Plugin delegate;

    GuardedPlugin(PluginWrapper wrapper, PluginCallGuard guard) {
        this.wrapper = requireNonNull(wrapper, "wrapper is null");
        this.guard = requireNonNull(guard, "guard is null");
    }

    @Override
    public void start() {
        String className = wrapper.getDescriptor().getPluginClass();
        if (className == null || className.isBlank() || className.equals(Plugin.class.getName())) {
            return;
        }
        AtomicReference<String> step = new AtomicReference<>(className + ".<init>()");
        delegate = guard.call("Starting plugin '" + wrapper.getPluginId() + "'", wrapper.getPluginClassLoader(),
                () -> {
                    Plugin plugin = instantiate(className);
                    step.set(className + ".start()");
                    plugin.start();
                    return plugin;
                },
                step::get);
    }

    @Override
    public void stop() {
        Plugin started = delegate;
        if (started == null) {
            return;
        }
        delegate = null;
        try {
            guard.call("Stopping plugin '" + wrapper.getPluginId() + "'", wrapper.getPluginClassLoader(), () -> {
                started.stop();
                return null;
            }, () -> started.getClass().getName() + ".stop()");
        } catch (PluginProblemException e) {
            log.warn("{}", e.getMessage(), e);
        }
    }

    private Plugin instantiate(String className) throws ReflectiveOperationException {
        String pluginId = wrapper.getPluginId();
        Class<?> pluginClass;
        try {
            pluginClass = Class.forName(className, false, wrapper.getPluginClassLoader());
        } catch (ClassNotFoundException e) {
            throw new PluginProblemException("plugin.class " + className + " of plugin '" + pluginId
                    + "' was not found", e);
        }
        if (!Plugin.class.isAssignableFrom(pluginClass)) {
            throw new PluginProblemException("plugin.class " + className + " of plugin '" + pluginId
                    + "' does not extend org.pf4j.Plugin");
        }
        try {
            return (Plugin) pluginClass.getConstructor().newInstance();
        } catch (NoSuchMethodException e) {
            throw new PluginProblemException("plugin.class " + className + " of plugin '" + pluginId
                    + "' needs a public no-argument constructor", e);
        }
    }
}
