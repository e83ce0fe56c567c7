package dev.switchboard.api;

import dev.switchboard.api.settings.SettingIssue;
import dev.switchboard.api.settings.Settings;
import dev.switchboard.api.settings.SettingsSchema;
import java.time.Duration;
import java.util.List;
import org.pf4j.ExtensionPoint;

/**
 * A kind of backend a plugin contributes, e.g. {@code comfyui_api}. This is the extension point: a plugin
 * annotates its implementation with {@code @org.pf4j.Extension}, gives it a public no-argument
 * constructor, and the host discovers it through the plugin's extension index.
 *
 * <p>The host reads the descriptive methods once, when the plugin starts, and keeps the values; they must
 * be constant. Implementations must be thread-safe and must not hold per-backend state: that belongs in the
 * {@link Backend} instances created by {@link #create(BackendContext)}.
 *
 * @since 1.0
 */
public interface BackendType extends ExtensionPoint {

    /**
     * Returns the type id used in the API and the backends file, e.g. {@code comfyui_api}. Case-sensitive,
     * unique across all plugins (the server refuses to start with duplicates), never changed once released.
     *
     * @return the id; letters, digits, {@code _}, {@code -} and {@code .} only
     */
    String id();

    /**
     * Returns the name shown to operators, e.g. "ComfyUI API By URL".
     *
     * @return the display name, never null
     */
    String displayName();

    /**
     * Returns one or two sentences telling operators what this type connects to.
     *
     * @return the description, never null
     */
    String description();

    /**
     * Tells whether clients list this type by default; non-standard types are shown behind an
     * "advanced" switch.
     *
     * @return true for a type most operators want
     */
    default boolean isStandard() {
        return false;
    }

    /**
     * Tells whether backends of this type are image-generation backends. Their views carry
     * {@code can_load_models} and {@code current_model}.
     *
     * @return true for text-to-image backends (the default)
     */
    default boolean isImageBackend() {
        return true;
    }

    /**
     * Returns how the host schedules initialisation of this type's backends.
     *
     * @return {@link InitMode#PARALLEL} by default
     */
    default InitMode initMode() {
        return InitMode.PARALLEL;
    }

    /**
     * Returns how long one {@link Backend#init()} call may take before the host gives up on it, interrupts
     * it and counts it as a failed attempt.
     *
     * @return a positive duration; two minutes by default
     */
    default Duration initTimeout() {
        return Duration.ofMinutes(2);
    }

    /**
     * Returns the settings every backend of this type has, in display order. Called once.
     *
     * @return the schema, never null
     */
    SettingsSchema settingsSchema();

    /**
     * Checks settings beyond what the schema expresses (cross-field rules, syntax of a header list).
     * Called by the host before any change is applied: when any issue is returned, the change is refused
     * with the issue's message and nothing changes. Must be fast and must not do network I/O.
     *
     * @param settings settings that already satisfy the schema
     * @return the problems found; empty when the settings are acceptable
     */
    default List<SettingIssue> validate(Settings settings) {
        return List.of();
    }

    /**
     * Creates a new backend instance. Must be cheap and must not block: real work belongs in
     * {@link Backend#init()}.
     *
     * @param context what the host gives the instance; never null
     * @return a new instance, never null
     */
    Backend create(BackendContext context);
}
