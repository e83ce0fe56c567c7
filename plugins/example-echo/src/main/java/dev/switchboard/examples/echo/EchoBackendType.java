// tag::type[]
package dev.switchboard.examples.echo;

import dev.switchboard.api.Backend;
import dev.switchboard.api.BackendContext;
import dev.switchboard.api.BackendType;
import dev.switchboard.api.settings.SettingIssue;
import dev.switchboard.api.settings.Settings;
import dev.switchboard.api.settings.SettingsSchema;
import java.util.List;
import java.util.Set;
import org.pf4j.Extension;

/** {@code example_echo}: a backend that talks to nothing, greets when it is ready and draws pictures. */
@Extension
public final class EchoBackendType implements BackendType {
    private static final int MAX_GREETING = 100;

    /** The host creates types through this public no-argument constructor. */
    public EchoBackendType() {
    }

    @Override
    public String id() {
        return "example_echo";
    }

    @Override
    public String displayName() {
        return "Example Echo";
    }

    @Override
    public String description() {
        return "Talks to nothing and draws patterns; shows how a backend type is written.";
    }

    @Override
    public SettingsSchema settingsSchema() {
        return EchoSettings.SCHEMA;
    }

    @Override
    public List<SettingIssue> validate(Settings settings) {
        // The host puts "Invalid value for setting '<name>': " before the message, so it need not name the setting.
        if (settings.getString(EchoSettings.GREETING).length() > MAX_GREETING) {
            return List.of(new SettingIssue(EchoSettings.GREETING,
                    "longer than " + MAX_GREETING + " characters."));
        }
        List<String> models = settings.getList(EchoSettings.MODELS);
        if (models.isEmpty()) {
            return List.of(new SettingIssue(EchoSettings.MODELS, "list at least one model name."));
        }
        for (String model : models) {
            if (model.isBlank() || model.contains("\\") || model.startsWith("/") || model.endsWith("/")) {
                return List.of(new SettingIssue(EchoSettings.MODELS, "'" + model + "' is not a model name such as"
                        + " echo/gradient.safetensors (folders separated by '/', no leading '/')."));
            }
        }
        if (Set.copyOf(models).size() != models.size()) {
            return List.of(new SettingIssue(EchoSettings.MODELS, "a model name is listed twice."));
        }
        return List.of();
    }

    @Override
    public Backend create(BackendContext context) {
        return new EchoBackend(context);
    }
}
// end::type[]
