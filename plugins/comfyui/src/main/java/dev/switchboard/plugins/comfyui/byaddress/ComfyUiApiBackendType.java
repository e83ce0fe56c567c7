package dev.switchboard.plugins.comfyui.byaddress;

import dev.switchboard.api.Backend;
import dev.switchboard.api.BackendContext;
import dev.switchboard.api.BackendType;
import dev.switchboard.api.InitMode;
import dev.switchboard.api.settings.SettingIssue;
import dev.switchboard.api.settings.Settings;
import dev.switchboard.api.settings.SettingsSchema;
import dev.switchboard.plugins.comfyui.connection.ComfyUiClient;
import dev.switchboard.plugins.comfyui.connection.ComfyUiTimeouts;
import dev.switchboard.plugins.support.SharedHttpClient;
import java.util.List;
import org.pf4j.Extension;

/** The {@code comfyui_api} backend type: a ComfyUI server that is already running, reached by its address. */
@Extension
public final class ComfyUiApiBackendType implements BackendType {

    /** The type id, identical to SwarmUI's so saved configurations and clients carry over. */
    public static final String ID = "comfyui_api";

    /** One HTTP client for every backend of this type (see {@link SharedHttpClient}). */
    private final SharedHttpClient http = ComfyUiClient.newSharedHttp(ComfyUiTimeouts.DEFAULTS.connect());

    /** Creates the type; PF4J calls this. */
    public ComfyUiApiBackendType() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String displayName() {
        return "ComfyUI Server (by Address)";
    }

    @Override
    public String description() {
        return "Sends work to a ComfyUI server that is already running, on this machine or another one, "
                + "reached at the address you give.";
    }

    @Override
    public boolean isStandard() {
        return false;
    }

    @Override
    public boolean isImageBackend() {
        return true;
    }

    @Override
    public InitMode initMode() {
        return InitMode.PARALLEL;
    }

    @Override
    public SettingsSchema settingsSchema() {
        return ComfyUiApiSettings.SCHEMA;
    }

    @Override
    public List<SettingIssue> validate(Settings settings) {
        String address = ComfyUiAddress.normalize(settings.getString(ComfyUiApiSettings.ADDRESS));
        if (address.isEmpty()) {
            return List.of();
        }
        return ComfyUiAddress.problem(address)
                .map(reason -> List.of(new SettingIssue(ComfyUiApiSettings.ADDRESS, reason)))
                .orElse(List.of());
    }

    @Override
    public Backend create(BackendContext context) {
        return new ComfyUiApiBackend(context, ComfyUiTimeouts.DEFAULTS, http);
    }
}
