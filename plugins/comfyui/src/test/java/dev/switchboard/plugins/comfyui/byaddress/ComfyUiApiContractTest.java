package dev.switchboard.plugins.comfyui.byaddress;

import dev.switchboard.api.BackendType;
import dev.switchboard.api.settings.Settings;
import dev.switchboard.testkit.comfyui.ComfyUiStandIn;
import dev.switchboard.testkit.contract.BackendTypeContractTest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * comfyui_api passes the testkit's contract against ComfyUI stand-ins: a stalled one makes init slow, one with
 * five seconds per sampling step makes a job slow enough to cancel.
 */
final class ComfyUiApiContractTest extends BackendTypeContractTest {
    private ComfyUiStandIn comfyUi;
    private ComfyUiStandIn stalled;
    private ComfyUiStandIn slow;

    @BeforeEach
    void startStandIns() {
        comfyUi = ComfyUiStandIn.start();
        comfyUi.setModels("CheckpointLoaderSimple", List.of("sdxl/base.safetensors"));
        stalled = ComfyUiStandIn.start();
        stalled.stall();
        slow = ComfyUiStandIn.start();
        slow.setModels("CheckpointLoaderSimple", List.of("sdxl/base.safetensors"));
        slow.setStepTime(Duration.ofSeconds(5));
    }

    @AfterEach
    void stopStandIns() {
        comfyUi.close();
        stalled.close();
        slow.close();
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

    @Override
    protected Optional<Settings> slowGenerationSettings() {
        return Optional.of(settingsFor(slow));
    }

    private static Settings settingsFor(ComfyUiStandIn standIn) {
        Map<String, Object> values = new LinkedHashMap<>(ComfyUiApiSettings.SCHEMA.defaults().values());
        values.put(ComfyUiApiSettings.ADDRESS, standIn.baseUrl());
        return new Settings(ComfyUiApiSettings.SCHEMA, values);
    }
}
