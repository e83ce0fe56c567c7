package dev.switchboard.server.plugins;

import static java.util.Objects.requireNonNull;

import dev.switchboard.api.BackendType;
import dev.switchboard.api.InitMode;
import dev.switchboard.api.settings.SettingsSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.pf4j.PluginWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a started plugin's {@link BackendType} extensions once: loads each class named in its extension index,
 * creates one instance (PF4J would create a new one per lookup), and reads every descriptive method, all under
 * one deadline with the plugin's class loader as context class loader. Anything the plugin gets wrong, from a
 * constructor that throws to an id with spaces to a method that never returns, fails the whole plugin with a
 * sentence naming the class and method.
 */
final class BackendTypeReader {
    private static final Logger log = LoggerFactory.getLogger(BackendTypeReader.class);
    static final Pattern TYPE_ID = Pattern.compile("[A-Za-z0-9_.-]+");

    private final PluginCallGuard guard;

    BackendTypeReader(PluginCallGuard guard) {
        this.guard = requireNonNull(guard, "guard is null");
    }

    /**
     * Reads the plugin's backend types, in extension class name order.
     *
     * @param extensionClassNames the class names in the plugin's extension index
     * @return the types; empty when the index names no {@link BackendType}
     * @throws PluginProblemException when the plugin's code fails, hangs or returns unusable values
     */
    List<RegisteredBackendType> read(PluginWrapper plugin, Collection<String> extensionClassNames) {
        List<String> classNames = extensionClassNames.stream().sorted().toList();
        ClassLoader loader = plugin.getPluginClassLoader();
        AtomicReference<String> step = new AtomicReference<>("loading its extension classes");
        return guard.call("Reading the backend types of plugin '" + plugin.getPluginId() + "'", loader,
                () -> readAll(plugin.getPluginId(), loader, classNames, step), step::get);
    }

    private static List<RegisteredBackendType> readAll(String pluginId, ClassLoader loader, List<String> classNames,
            AtomicReference<String> step) {
        List<RegisteredBackendType> types = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (String className : classNames) {
            Class<?> extensionClass = load(className, loader, step);
            if (!BackendType.class.isAssignableFrom(extensionClass)) {
                log.warn("Extension {} of plugin '{}' is not a BackendType; ignored", className, pluginId);
                continue;
            }
            RegisteredBackendType type = read(pluginId, loader, extensionClass.asSubclass(BackendType.class), step);
            if (!ids.add(type.id())) {
                throw new PluginProblemException("Plugin '" + pluginId + "' declares backend type '" + type.id()
                        + "' twice");
            }
            types.add(type);
        }
        return types;
    }

    private static Class<?> load(String className, ClassLoader loader, AtomicReference<String> step) {
        step.set("loading class " + className);
        try {
            return Class.forName(className, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new PluginProblemException("Extension class " + className + " cannot be loaded: "
                    + FailureText.describe(e), e);
        }
    }

    private static RegisteredBackendType read(String pluginId, ClassLoader loader,
            Class<? extends BackendType> typeClass, AtomicReference<String> step) {
        String name = typeClass.getName();
        BackendType type = ask(step, name, "<init>()", () -> typeClass.getConstructor().newInstance());
        String id = ask(step, name, "id()", type::id);
        if (id == null || !TYPE_ID.matcher(id).matches()) {
            throw new PluginProblemException("Backend type " + name + " has an invalid id " + quoted(id)
                    + ": use only letters, digits, '_', '-' and '.'");
        }
        String displayName = notNull(ask(step, name, "displayName()", type::displayName), name, "displayName()");
        String description = notNull(ask(step, name, "description()", type::description), name, "description()");
        boolean standard = ask(step, name, "isStandard()", type::isStandard);
        boolean imageBackend = ask(step, name, "isImageBackend()", type::isImageBackend);
        InitMode initMode = notNull(ask(step, name, "initMode()", type::initMode), name, "initMode()");
        Duration initTimeout = notNull(ask(step, name, "initTimeout()", type::initTimeout), name, "initTimeout()");
        if (initTimeout.isNegative() || initTimeout.isZero()) {
            throw new PluginProblemException("Backend type " + name + " returned a non-positive initTimeout() "
                    + initTimeout);
        }
        SettingsSchema schema = notNull(ask(step, name, "settingsSchema()", type::settingsSchema), name,
                "settingsSchema()");
        return new RegisteredBackendType(id, displayName, description, standard, imageBackend, initMode,
                initTimeout, schema, type, pluginId, loader);
    }

    private static <T> T ask(AtomicReference<String> step, String className, String method, Callable<T> call) {
        step.set(className + "." + method);
        try {
            return call.call();
        } catch (Throwable e) {
            if (e instanceof NoSuchMethodException) {
                throw new PluginProblemException("Backend type " + className
                        + " needs a public no-argument constructor", e);
            }
            throw new PluginProblemException("Backend type " + className + "." + method + " threw "
                    + FailureText.describe(e), e);
        }
    }

    private static <T> T notNull(T value, String className, String method) {
        if (value == null) {
            throw new PluginProblemException("Backend type " + className + "." + method + " returned null");
        }
        return value;
    }

    private static String quoted(String id) {
        return id == null ? "null" : "'" + id + "'";
    }
}
