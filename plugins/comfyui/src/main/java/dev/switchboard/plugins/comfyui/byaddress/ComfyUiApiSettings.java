package dev.switchboard.plugins.comfyui.byaddress;

import static java.util.Objects.requireNonNull;

import dev.switchboard.api.settings.SettingDefinition;
import dev.switchboard.api.settings.SettingType;
import dev.switchboard.api.settings.Settings;
import dev.switchboard.api.settings.SettingsSchema;
import java.net.URI;

/**
 * The settings of a {@code comfyui_api} backend: the schema (names and defaults as in SwarmUI, so saved
 * configurations carry over) and a typed view of one backend's values.
 */
public final class ComfyUiApiSettings {

    /** ComfyUI's base URL. */
    public static final String ADDRESS = "Address";
    /** Whether an unreachable server makes the backend idle instead of failing. */
    public static final String ALLOW_IDLE = "AllowIdle";
    /** How many jobs beyond the first the backend may hand over at once. */
    public static final String OVER_QUEUE = "OverQueue";
    /** Whether API paths get the {@code /api} prefix. */
    public static final String ENABLE_FRONTEND_DEV = "EnableFrontendDev";

    /** The schema, in display order. */
    public static final SettingsSchema SCHEMA = SettingsSchema.of(
            SettingDefinition.builder(ADDRESS, SettingType.TEXT)
                    .defaultValue("")
                    .placeholder("ComfyUI's address...")
                    .description("Where ComfyUI listens, as a full URL such as http://127.0.0.1:8188. "
                            + "Leave it empty to keep this backend switched off.")
                    .build(),
            SettingDefinition.builder(ALLOW_IDLE, SettingType.BOOLEAN)
                    .defaultValue(false)
                    .description("When ComfyUI cannot be reached, wait in the 'idle' state and check again every "
                            + "few seconds instead of failing. Useful for machines that are not always on.")
                    .build(),
            SettingDefinition.builder(OVER_QUEUE, SettingType.INTEGER)
                    .defaultValue(1)
                    .range(-1, 1000)
                    .description("How many more jobs to hand to ComfyUI while one is running, so it never sits "
                            + "waiting between jobs. 0 sends one job at a time; -1 sends no work at all (for a "
                            + "ComfyUI used only through its own interface).")
                    .build(),
            SettingDefinition.builder(ENABLE_FRONTEND_DEV, SettingType.BOOLEAN)
                    .defaultValue(false)
                    .description("Put /api in front of every API path. Turn this on when ComfyUI runs behind a "
                            + "front-end development server that only passes the API through under /api.")
                    .build());

    private final String address;
    private final boolean allowIdle;
    private final int overQueue;
    private final boolean frontendDev;

    /**
     * Reads a backend's settings.
     *
     * @param settings values of {@link #SCHEMA}
     */
    public ComfyUiApiSettings(Settings settings) {
        requireNonNull(settings, "settings is null");
        this.address = ComfyUiAddress.normalize(settings.getString(ADDRESS));
        this.allowIdle = settings.getBoolean(ALLOW_IDLE);
        this.overQueue = settings.getInt(OVER_QUEUE);
        this.frontendDev = settings.getBoolean(ENABLE_FRONTEND_DEV);
    }

    /**
     * Returns the address without surrounding spaces and trailing slashes.
     *
     * @return the address; empty when the backend is not configured
     */
    public String address() {
        return address;
    }

    /** @return whether an unreachable server makes the backend idle instead of failing */
    public boolean allowIdle() {
        return allowIdle;
    }

    /** @return extra jobs allowed at once; -1 for a backend that gets no work */
    public int overQueue() {
        return overQueue;
    }

    /** @return whether API paths get the {@code /api} prefix */
    public boolean frontendDev() {
        return frontendDev;
    }

    /**
     * Returns the concurrency limit: one running job plus {@link #overQueue()} queued ones.
     *
     * @return 0 or more
     */
    public int maxUsages() {
        return Math.max(0, 1 + overQueue);
    }

    /**
     * Returns the base every API path is appended to.
     *
     * @return the URL
     * @throws IllegalArgumentException with a readable reason when the address is empty or not valid
     */
    public URI apiBase() {
        if (address.isEmpty()) {
            throw new IllegalArgumentException("No address is set.");
        }
        return ComfyUiAddress.apiBase(address, frontendDev);
    }
}
