package dev.switchboard.examples.autowebui;

import dev.switchboard.api.settings.SettingDefinition;
import dev.switchboard.api.settings.SettingType;
import dev.switchboard.api.settings.SettingsSchema;

/** The settings of an {@code auto_webui_selfstart} backend (SwarmUI's names). */
final class AutoWebUiSelfStartSettings {
    static final String START_SCRIPT = "StartScript";
    static final String EXTRA_ARGS = "ExtraArgs";
    static final String GPU_ID = "GPU_ID";

    static final SettingsSchema SCHEMA = SettingsSchema.of(
            SettingDefinition.builder(START_SCRIPT, SettingType.TEXT)
                    .placeholder("/path/to/stable-diffusion-webui/webui.sh")
                    .description("SD-WebUI's webui.sh (or webui.bat), which Switchboard runs with --api and a port"
                            + " of its choosing. Empty disables the backend.")
                    .build(),
            SettingDefinition.builder(EXTRA_ARGS, SettingType.TEXT)
                    .description("More arguments for the WebUI, separated by spaces (no quoting), e.g. --xformers.")
                    .build(),
            SettingDefinition.builder(GPU_ID, SettingType.INTEGER)
                    .defaultValue(0L)
                    .range(0, 64)
                    .description("The GPU the WebUI uses (CUDA_VISIBLE_DEVICES).")
                    .build());

    private AutoWebUiSelfStartSettings() {
    }
}
