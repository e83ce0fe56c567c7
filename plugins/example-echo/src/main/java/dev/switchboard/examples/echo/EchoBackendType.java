// tag::type[]
package dev.switchboard.examples.echo;

import dev.switchboard.api.Backend;
import dev.switchboard.api.BackendContext;
import dev.switchboard.api.BackendType;
import dev.switchboard.api.settings.SettingIssue;
import dev.switchboard.api.settings.Settings;
import dev.switchboard.api.settings.SettingsSchema;
import java.util.List;
import org.pf4j.Extension;

/** {@code example_echo}: a backend that talks to nothing and greets when it is ready. */
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
        return "Talks to nothing; shows how a backend type is written.";
    }

    @Override
    public SettingsSchema settingsSchema() {
        return EchoSettings.SCHEMA;
    }

    @Override
    public List<SettingIssue> validate(Settings settings) {
        if (settings.getString(EchoSettings.GREETING).length() > MAX_GREETING) {
            return List.of(new SettingIssue(EchoSettings.GREETING,
                    "Greeting is longer than " + MAX_GREETING + " characters."));
        }
        return List.of();
    }

    @Override
    public Backend create(BackendContext context) {
        return new EchoBackend(context);
    }
}
// end::type[]
