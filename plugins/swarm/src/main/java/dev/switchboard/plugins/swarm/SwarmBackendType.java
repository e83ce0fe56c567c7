package dev.switchboard.plugins.swarm;

import dev.switchboard.api.Backend;
import dev.switchboard.api.BackendContext;
import dev.switchboard.api.BackendType;
import dev.switchboard.api.InitMode;
import dev.switchboard.api.settings.SettingIssue;
import dev.switchboard.api.settings.Settings;
import dev.switchboard.api.settings.SettingsSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.pf4j.Extension;

/** The {@code swarmswarmbackend} type: another Swarm-compatible server whose backends are used as our own. */
@Extension
public final class SwarmBackendType implements BackendType {

    /** The type id, identical to SwarmUI's so saved configurations and remote masters carry over. */
    public static final String ID = RemoteBackend.SWARM_TYPE;

    /** The HTTP clients every control backend of this type shares, one per connect timeout. */
    private final SwarmClients clients = new SwarmClients();

    /** Creates the type; PF4J calls this. */
    public SwarmBackendType() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String displayName() {
        return "Swarm-API Server (another SwarmUI or Switchboard)";
    }

    @Override
    public String description() {
        return "Uses the backends of another SwarmUI-compatible server, such as SwarmUI or Switchboard on another "
                + "machine: each of its running backends appears here and receives work.";
    }

    @Override
    public boolean isStandard() {
        return true;
    }

    @Override
    public InitMode initMode() {
        return InitMode.PARALLEL;
    }

    @Override
    public Duration initTimeout() {
        // One call with ConnectionAttemptTimeoutSeconds (at most an hour) plus a reconnect and retry.
        return Duration.ofHours(2).plusMinutes(1);
    }

    @Override
    public SettingsSchema settingsSchema() {
        return SwarmSettings.SCHEMA;
    }

    @Override
    public List<SettingIssue> validate(Settings settings) {
        List<SettingIssue> issues = new ArrayList<>();
        String address = SwarmAddress.normalize(settings.getString(SwarmSettings.ADDRESS));
        if (!address.isEmpty()) {
            SwarmAddress.problem(address).ifPresent(reason -> issues.add(new SettingIssue(SwarmSettings.ADDRESS, reason)));
        }
        for (String problem : RequestHeaders.authorizationProblems(settings.getSecret(SwarmSettings.AUTHORIZATION_HEADER))) {
            issues.add(new SettingIssue(SwarmSettings.AUTHORIZATION_HEADER, problem));
        }
        for (String problem : RequestHeaders.otherHeaderProblems(settings.getString(SwarmSettings.OTHER_HEADERS))) {
            issues.add(new SettingIssue(SwarmSettings.OTHER_HEADERS, problem));
        }
        return issues;
    }

    @Override
    public Backend create(BackendContext context) {
        return new SwarmControlBackend(context, clients);
    }

    /** @return the clients this type's backends share; for tests */
    SwarmClients clients() {
        return clients;
    }
}
