package dev.switchboard.server.plugins;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import org.pf4j.DefaultPluginLoader;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginManager;

/**
 * Loads an unpacked plugin directory ({@code classes/} + {@code lib/*.jar}, also what a plugin zip expands to)
 * into an {@link IsolatedPluginClassLoader}.
 */
final class IsolatingDirectoryPluginLoader extends DefaultPluginLoader {
    private final AllowListClassLoader parent;

    IsolatingDirectoryPluginLoader(PluginManager pluginManager, AllowListClassLoader parent) {
        super(pluginManager);
        this.parent = requireNonNull(parent, "parent is null");
    }

    @Override
    protected PluginClassLoader createPluginClassLoader(Path pluginPath, PluginDescriptor descriptor) {
        return new IsolatedPluginClassLoader(pluginManager, descriptor, parent);
    }
}
