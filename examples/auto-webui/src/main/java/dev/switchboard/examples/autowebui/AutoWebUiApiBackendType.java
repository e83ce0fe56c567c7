package dev.switchboard.examples.autowebui;

import dev.switchboard.api.Backend;
import dev.switchboard.api.BackendContext;
import dev.switchboard.api.BackendType;
import dev.switchboard.api.settings.SettingIssue;
import dev.switchboard.api.settings.Settings;
import dev.switchboard.api.settings.SettingsSchema;
import java.util.List;
import org.pf4j.Extension;

/** {@code auto_webui_api}: an AUTOMATIC1111 Stable Diffusion WebUI someone else runs with {@code --api}. */
@Extension
public final class AutoWebUiApiBackendType implements BackendType {

    /** The host creates types through this public no-argument constructor. */
    public AutoWebUiApiBackendType() {
    }

    @Override
    public String id() {
        return "auto_webui_api";
    }

    @Override
    public String displayName() {
        return "SD-WebUI (by address)";
    }

    @Override
    public String description() {
        return "An AUTOMATIC1111 Stable Diffusion WebUI that is already running with --api, reached by its address.";
    }

    @Override
    public SettingsSchema settingsSchema() {
        return AutoWebUiSettings.SCHEMA;
    }

    @Override
    public List<SettingIssue> validate(Settings settings) {
        String address = settings.getString(AutoWebUiSettings.ADDRESS);
        if (address.isBlank()) {
            return List.of();
        }
        return WebUiAddress.problem(address)
                .map(message -> List.of(new SettingIssue(AutoWebUiSettings.ADDRESS, message)))
                .orElse(List.of());
    }

    @Override
    public Backend create(BackendContext context) {
        return new AutoWebUiApiBackend(context);
    }
}
