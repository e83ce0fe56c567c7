package dev.switchboard.examples.autowebui;

import dev.switchboard.api.BackendType;
import dev.switchboard.api.settings.Settings;
import dev.switchboard.testkit.contract.BackendTypeContractTest;
import dev.switchboard.testkit.sdwebui.SdWebUiStandIn;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

// tag::contract[]
final class AutoWebUiApiContractTest extends BackendTypeContractTest {
    private SdWebUiStandIn webUi;
    private SdWebUiStandIn stalledWebUi;
    private SdWebUiStandIn slowWebUi;

    @BeforeEach
    void startStandIns() {
        webUi = SdWebUiStandIn.start();
        stalledWebUi = SdWebUiStandIn.start();
        stalledWebUi.setStalled(true);
        slowWebUi = SdWebUiStandIn.start();
        slowWebUi.setStepTime(Duration.ofMinutes(1));
    }

    @AfterEach
    void stopStandIns() {
        webUi.close();
        stalledWebUi.close();
        slowWebUi.close();
    }

    @Override
    protected BackendType backendType() {
        return new AutoWebUiApiBackendType();
    }

    @Override
    protected Optional<Settings> workingSettings() {
        return Optional.of(address(webUi.address()));
    }

    @Override
    protected Optional<Settings> slowInitSettings() {
        // A WebUI that accepts the connection and never answers: init() must still end at shutdown().
        return Optional.of(address(stalledWebUi.address()));
    }

    @Override
    protected Optional<Settings> slowGenerationSettings() {
        // A minute per sampling step: only an interrupt ends a job in time.
        return Optional.of(address(slowWebUi.address()));
    }

    // end::contract[]
    static Settings address(String address) {
        return new Settings(AutoWebUiSettings.SCHEMA, Map.of(AutoWebUiSettings.ADDRESS, address));
    }
}
