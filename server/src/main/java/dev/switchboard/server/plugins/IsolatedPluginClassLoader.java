package dev.switchboard.server.plugins;

import org.pf4j.ClassLoadingStrategy;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginManager;

/**
 * A plugin's class loader: the plugin's own classes and libraries first, then the {@link AllowListClassLoader}.
 * The shared contract packages are the exception: they always come from the host, even when a plugin wrongly
 * bundles a copy, because a second copy of {@code BackendType} would make the plugin's extensions unusable
 * ("X cannot be cast to X").
 */
final class IsolatedPluginClassLoader extends PluginClassLoader {

    IsolatedPluginClassLoader(PluginManager pluginManager, PluginDescriptor descriptor, AllowListClassLoader parent) {
        super(pluginManager, descriptor, parent, ClassLoadingStrategy.PDA);
    }

    @Override
    protected boolean shouldDelegateToParent(String className) {
        return AllowListClassLoader.isShared(className);
    }
}
