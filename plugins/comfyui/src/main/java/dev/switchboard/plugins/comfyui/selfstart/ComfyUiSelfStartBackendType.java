package dev.switchboard.plugins.comfyui.selfstart;

import dev.switchboard.api.Backend;
import dev.switchboard.api.BackendContext;
import dev.switchboard.api.BackendType;
import dev.switchboard.api.InitMode;
import dev.switchboard.api.settings.SettingIssue;
import dev.switchboard.api.settings.Settings;
import dev.switchboard.api.settings.SettingsSchema;
import dev.switchboard.plugins.comfyui.connection.ComfyUiClient;
import dev.switchboard.plugins.comfyui.connection.ComfyUiTimeouts;
import dev.switchboard.plugins.comfyui.generation.JobTimeouts;
import dev.switchboard.plugins.support.SharedHttpClient;
import java.time.Duration;
import java.util.List;
import org.pf4j.Extension;

/** The {@code comfyui_selfstart} backend type: ComfyUI launched and supervised by Switchboard. */
@Extension
public final class ComfyUiSelfStartBackendType implements BackendType {

    /** The type id, identical to SwarmUI's so saved configurations and clients carry over. */
    public static final String ID = "comfyui_selfstart";

    /**
     * One HTTP client for every backend of this type (see {@link SharedHttpClient}): each launched ComfyUI holds a
     * lease while it runs, each with its own deadlines, and the last one given back ends the client's threads.
     */
    private final SharedHttpClient http = ComfyUiClient.newSharedHttp(ComfyUiTimeouts.DEFAULTS.connect());

    /** Creates the type; PF4J calls this. */
    public ComfyUiSelfStartBackendType() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String displayName() {
        return "ComfyUI Self-Starting";
    }

    @Override
    public String description() {
        return "Launches ComfyUI from its folder on this machine, on the GPUs you choose, and keeps it running.";
    }

    @Override
    public boolean isStandard() {
        return true;
    }

    @Override
    public boolean isImageBackend() {
        return true;
    }

    /** One launch at a time, as in SwarmUI: several ComfyUIs loading at once compete for disk and VRAM. */
    @Override
    public InitMode initMode() {
        return InitMode.SERIAL;
    }

    /** Only a backstop: the start-up timeout is enforced by the readiness wait, with a clear reason. */
    @Override
    public Duration initTimeout() {
        return Duration.ofHours(2);
    }

    @Override
    public SettingsSchema settingsSchema() {
        return ComfyUiSelfStartSettings.SCHEMA;
    }

    @Override
    public List<SettingIssue> validate(Settings settings) {
        return ComfyUiSelfStartSettings.validate(settings);
    }

    @Override
    public Backend create(BackendContext context) {
        return new ComfyUiSelfStartBackend(context, ComfyUiTimeouts.DEFAULTS, SelfStartTuning.DEFAULTS,
                PortSource.ephemeral(), System.getenv(), ListenerOwnership.system(), JobTimeouts.DEFAULTS, http);
    }

    /** @return the client this type's backends share; for tests */
    SharedHttpClient sharedHttp() {
        return http;
    }
}
