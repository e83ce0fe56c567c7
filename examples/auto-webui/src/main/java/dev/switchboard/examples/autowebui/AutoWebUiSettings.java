package dev.switchboard.examples.autowebui;

import dev.switchboard.api.settings.SettingDefinition;
import dev.switchboard.api.settings.SettingType;
import dev.switchboard.api.settings.SettingsSchema;

/** The settings of an {@code auto_webui_api} backend (SwarmUI's names, so saved configurations carry over). */
final class AutoWebUiSettings {
    static final String ADDRESS = "Address";

    static final SettingsSchema SCHEMA = SettingsSchema.of(
            SettingDefinition.builder(ADDRESS, SettingType.TEXT)
                    .placeholder("WebUI's address...")
                    .description("The base address of an SD-WebUI started with --api, e.g. http://localhost:7860."
                            + " Empty disables the backend.")
                    .build());

    private AutoWebUiSettings() {
    }
}
