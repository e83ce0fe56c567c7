package dev.switchboard.plugins.comfyui.selfstart;

import dev.switchboard.api.BackendType;
import dev.switchboard.api.settings.Settings;
import dev.switchboard.testkit.comfyui.FakeComfyUiScript;
import dev.switchboard.testkit.contract.BackendTypeContractTest;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;

/**
 * comfyui_selfstart passes the testkit's contract launching the testkit's fake ComfyUI {@code main.py} as a real
 * child process; in {@code never-ready} mode it never listens, which makes init slow, and five seconds per sampling
 * step make a job slow enough to cancel.
 */
final class ComfyUiSelfStartContractTest extends BackendTypeContractTest {
    @TempDir
    Path comfy;

    @Override
    protected BackendType backendType() {
        return new ComfyUiSelfStartBackendType();
    }

    @Override
    protected Optional<Settings> workingSettings() {
        return Optional.of(settings(""));
    }

    @Override
    protected Optional<Settings> slowInitSettings() {
        return Optional.of(settings("--mode never-ready"));
    }

    @Override
    protected Optional<Settings> slowGenerationSettings() {
        return Optional.of(settings("--step-seconds 5"));
    }

    private Settings settings(String extraArgs) {
        Map<String, Object> values = new LinkedHashMap<>(ComfyUiSelfStartSettings.SCHEMA.defaults().values());
        values.put(ComfyUiSelfStartSettings.START_SCRIPT, FakeComfyUiScript.install(comfy).toString());
        values.put(ComfyUiSelfStartSettings.EXTRA_ARGS, extraArgs);
        return new Settings(ComfyUiSelfStartSettings.SCHEMA, values);
    }
}
