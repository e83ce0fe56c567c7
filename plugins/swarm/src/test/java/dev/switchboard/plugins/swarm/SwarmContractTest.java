package dev.switchboard.plugins.swarm;

import dev.switchboard.api.BackendType;
import dev.switchboard.api.settings.Settings;
import dev.switchboard.testkit.contract.BackendTypeContractTest;
import dev.switchboard.testkit.swarm.OldSwarmStandIn;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** swarmswarmbackend passes the testkit's contract against a Swarm stand-in; a stalled one makes init slow. */
final class SwarmContractTest extends BackendTypeContractTest {
    private OldSwarmStandIn remote;
    private OldSwarmStandIn stalled;

    @BeforeEach
    void startStandIns() {
        remote = OldSwarmStandIn.start();
        remote.putBackend(new OldSwarmStandIn.Backend(0, "comfyui_api", "running", "gpu", List.of(), 1, null));
        stalled = OldSwarmStandIn.start();
        stalled.stallRoute("GetNewSession");
    }

    @AfterEach
    void stopStandIns() {
        remote.close();
        stalled.close();
    }

    @Override
    protected BackendType backendType() {
        return new SwarmBackendType();
    }

    @Override
    protected Optional<Settings> workingSettings() {
        return Optional.of(settingsFor(remote));
    }

    @Override
    protected Optional<Settings> slowInitSettings() {
        return Optional.of(settingsFor(stalled));
    }

    private static Settings settingsFor(OldSwarmStandIn standIn) {
        Map<String, Object> values = new LinkedHashMap<>(SwarmSettings.SCHEMA.defaults().values());
        values.put(SwarmSettings.ADDRESS, standIn.baseUrl());
        return new Settings(SwarmSettings.SCHEMA, values);
    }
}
