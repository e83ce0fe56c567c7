package dev.switchboard.server.plugins;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * The parent of every plugin class loader. Plugins see the JDK's platform modules (through the platform class
 * loader) and, from the host, only the packages of the plugin contract: the api, PF4J and SLF4J. Everything
 * else on the host's class path (Gson, Undertow, Guice, the server itself) stays invisible, so a plugin that
 * forgot to bundle a library fails at once with {@link ClassNotFoundException} instead of quietly linking
 * against the host's copy and breaking when the host upgrades it. Resources are filtered the same way.
 */
final class AllowListClassLoader extends ClassLoader {
    private static final List<String> SHARED_PACKAGES = List.of("dev.switchboard.api.", "org.pf4j.", "org.slf4j.");
    private static final List<String> SHARED_RESOURCE_FOLDERS = SHARED_PACKAGES.stream()
            .map(prefix -> prefix.replace('.', '/'))
            .toList();

    static {
        registerAsParallelCapable();
    }

    private final ClassLoader host;

    /**
     * Creates the filter.
     *
     * @param host the loader that holds the api, PF4J and SLF4J classes (the server's own loader)
     */
    AllowListClassLoader(ClassLoader host) {
        super("switchboard-plugin-parent", ClassLoader.getPlatformClassLoader());
        this.host = requireNonNull(host, "host is null");
    }

    /** Tells whether a class belongs to the packages the host shares with plugins. */
    static boolean isShared(String className) {
        return SHARED_PACKAGES.stream().anyMatch(className::startsWith);
    }

    private static boolean isSharedResource(String name) {
        String path = name.startsWith("/") ? name.substring(1) : name;
        return SHARED_RESOURCE_FOLDERS.stream().anyMatch(path::startsWith);
    }

    // Reached only after the platform class loader did not find the class.
    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        if (isShared(name)) {
            return host.loadClass(name);
        }
        throw new ClassNotFoundException(name + " is not shared with plugins (only the JDK, dev.switchboard.api,"
                + " org.pf4j and org.slf4j are): a plugin must bundle it");
    }

    @Override
    protected URL findResource(String name) {
        return isSharedResource(name) ? host.getResource(name) : null;
    }

    @Override
    protected Enumeration<URL> findResources(String name) throws IOException {
        return isSharedResource(name) ? host.getResources(name) : Collections.emptyEnumeration();
    }
}
