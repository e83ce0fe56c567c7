package dev.switchboard.examples.autowebui;

import dev.switchboard.api.Backend;
import dev.switchboard.api.BackendContext;
import dev.switchboard.api.BackendType;
import dev.switchboard.api.InitMode;
import dev.switchboard.api.settings.SettingsSchema;
import java.time.Duration;
import org.pf4j.Extension;

/** {@code auto_webui_selfstart}: an AUTOMATIC1111 Stable Diffusion WebUI that Switchboard launches itself. */
@Extension
public final class AutoWebUiSelfStartBackendType implements BackendType {

    /** The host creates types through this public no-argument constructor. */
    public AutoWebUiSelfStartBackendType() {
    }

    @Override
    public String id() {
        return "auto_webui_selfstart";
    }

    @Override
    public String displayName() {
        return "SD-WebUI (launched by Switchboard)";
    }

    @Override
    public String description() {
        return "An AUTOMATIC1111 Stable Diffusion WebUI that Switchboard launches with --api and stops itself.";
    }

    @Override
    public SettingsSchema settingsSchema() {
        return AutoWebUiSelfStartSettings.SCHEMA;
    }

    @Override
    public InitMode initMode() {
        // Launches load models onto the GPU: one at a time.
        return InitMode.SERIAL;
    }

    @Override
    public Duration initTimeout() {
        // init() itself waits at most the operator's start timeout (BackendContext.startTimeout()).
        return Duration.ofHours(2);
    }

    @Override
    public Backend create(BackendContext context) {
        return new AutoWebUiSelfStartBackend(context);
    }
}
