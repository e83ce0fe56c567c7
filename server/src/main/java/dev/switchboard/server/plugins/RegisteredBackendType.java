package dev.switchboard.server.plugins;

import static java.util.Objects.requireNonNull;

import dev.switchboard.api.BackendType;
import dev.switchboard.api.InitMode;
import dev.switchboard.api.settings.SettingsSchema;
import java.time.Duration;

/**
 * A {@link BackendType} whose descriptive values were read once at registration (on a worker thread, under a
 * deadline, with the plugin's class loader as context class loader) and cached, so the rest of the server never
 * calls those methods again. Only {@link BackendType#create} and {@link BackendType#validate} are still called on
 * {@link #type()}, and callers should do so with {@link #classLoader()} as the context class loader.
 *
 * @param id the type id, e.g. {@code comfyui_api}
 * @param displayName the name shown to operators
 * @param description what the type connects to
 * @param standard whether clients list the type by default
 * @param imageBackend whether backends of the type generate images
 * @param initMode how initialisation is scheduled
 * @param initTimeout how long one init may take
 * @param schema the settings every backend of the type has
 * @param type the extension instance, for {@code create()} and {@code validate()}
 * @param pluginId the id of the plugin that contributes the type
 * @param classLoader the plugin's class loader
 */
public record RegisteredBackendType(
        String id, String displayName, String description, boolean standard, boolean imageBackend,
        InitMode initMode, Duration initTimeout, SettingsSchema schema,
        BackendType type,
        String pluginId, ClassLoader classLoader) {

    /** Checks that nothing is null. */
    public RegisteredBackendType {
        requireNonNull(id, "id is null");
        requireNonNull(displayName, "displayName is null");
        requireNonNull(description, "description is null");
        requireNonNull(initMode, "initMode is null");
        requireNonNull(initTimeout, "initTimeout is null");
        requireNonNull(schema, "schema is null");
        requireNonNull(type, "type is null");
        requireNonNull(pluginId, "pluginId is null");
        requireNonNull(classLoader, "classLoader is null");
    }
}
