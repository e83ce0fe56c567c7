package dev.switchboard.server.plugins;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import org.pf4j.JarPluginLoader;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginManager;

/** Loads a plugin packaged as one jar into an {@link IsolatedPluginClassLoader}. */
final class IsolatingJarPluginLoader extends JarPluginLoader {
    private final AllowListClassLoader parent;

    IsolatingJarPluginLoader(PluginManager pluginManager, AllowListClassLoader parent) {
        super(pluginManager);
        this.parent = requireNonNull(parent, "parent is null");
    }

    @Override
    protected PluginClassLoader createPluginClassLoader(Path pluginPath, PluginDescriptor descriptor) {
        return new IsolatedPluginClassLoader(pluginManager, descriptor, parent);
    }
}
