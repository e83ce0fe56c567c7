package dev.switchboard.examples.autowebui;

import dev.switchboard.api.BackendType;
import dev.switchboard.api.settings.Settings;
import dev.switchboard.testkit.contract.BackendTypeContractTest;
import dev.switchboard.testkit.sdwebui.FakeSdWebUiScript;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;

final class AutoWebUiSelfStartContractTest extends BackendTypeContractTest {
    @TempDir
    Path webUiFolder;

    @Override
    protected BackendType backendType() {
        return new AutoWebUiSelfStartBackendType();
    }

    @Override
    protected Optional<Settings> workingSettings() {
        return Optional.of(settings(FakeSdWebUiScript.install(webUiFolder), ""));
    }

    @Override
    protected Optional<Settings> slowInitSettings() {
        // A WebUI that never starts listening: init() must still end at shutdown().
        return Optional.of(settings(FakeSdWebUiScript.install(webUiFolder), "--mode never-ready"));
    }

    @Override
    protected Optional<Settings> slowGenerationSettings() {
        // A WebUI that takes a minute per sampling step: only an interrupt ends a job in time.
        return Optional.of(settings(FakeSdWebUiScript.install(webUiFolder), "--step-ms 60000"));
    }

    static Settings settings(Path script, String extraArgs) {
        return new Settings(AutoWebUiSelfStartSettings.SCHEMA, Map.of(
                AutoWebUiSelfStartSettings.START_SCRIPT, script.toString(),
                AutoWebUiSelfStartSettings.EXTRA_ARGS, extraArgs,
                AutoWebUiSelfStartSettings.GPU_ID, 1L));
    }
}
