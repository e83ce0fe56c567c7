package dev.switchboard.plugins.comfyui.byaddress;

import dev.switchboard.api.BackendType;
import dev.switchboard.api.settings.Settings;
import dev.switchboard.testkit.comfyui.ComfyUiStandIn;
import dev.switchboard.testkit.contract.BackendTypeContractTest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** comfyui_api passes the testkit's contract against a ComfyUI stand-in; a stalled one makes init slow. */
final class ComfyUiApiContractTest extends BackendTypeContractTest {
    private ComfyUiStandIn comfyUi;
    private ComfyUiStandIn stalled;

    @BeforeEach
    void startStandIns() {
        comfyUi = ComfyUiStandIn.start();
        stalled = ComfyUiStandIn.start();
        stalled.stall();
    }

    @AfterEach
    void stopStandIns() {
        comfyUi.close();
        stalled.close();
    }

    @Override
    protected BackendType backendType() {
        return new ComfyUiApiBackendType();
    }

    @Override
    protected Optional<Settings> workingSettings() {
        return Optional.of(settingsFor(comfyUi));
    }

    @Override
    protected Optional<Settings> slowInitSettings() {
        return Optional.of(settingsFor(stalled));
    }

    private static Settings settingsFor(ComfyUiStandIn standIn) {
        Map<String, Object> values = new LinkedHashMap<>(ComfyUiApiSettings.SCHEMA.defaults().values());
        values.put(ComfyUiApiSettings.ADDRESS, standIn.baseUrl());
        return new Settings(ComfyUiApiSettings.SCHEMA, values);
    }
}
