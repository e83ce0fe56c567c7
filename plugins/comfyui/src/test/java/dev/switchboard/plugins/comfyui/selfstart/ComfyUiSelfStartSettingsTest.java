package dev.switchboard.plugins.comfyui.selfstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.api.settings.SettingDefinition;
import dev.switchboard.api.settings.SettingIssue;
import dev.switchboard.api.settings.Settings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class ComfyUiSelfStartSettingsTest {

    @Test
    void theSchemaHasSwarmUisNamesTypesAndDefaults() {
        assertThat(ComfyUiSelfStartSettings.SCHEMA.definitions()).extracting(SettingDefinition::name).containsExactly(
                "StartScript", "ExtraArgs", "DisableInternalArgs", "AutoUpdate", "UpdateManagedNodes",
                "FrontendVersion", "EnablePreviews", "GPU_ID", "OverQueue", "AutoRestart");
        assertThat(ComfyUiSelfStartSettings.SCHEMA.defaults().values()).containsExactly(Map.entry("StartScript", ""),
                Map.entry("ExtraArgs", ""), Map.entry("DisableInternalArgs", false), Map.entry("AutoUpdate", "false"),
                Map.entry("UpdateManagedNodes", "false"), Map.entry("FrontendVersion", "LatestSwarmValidated"),
                Map.entry("EnablePreviews", "true"), Map.entry("GPU_ID", "0"), Map.entry("OverQueue", 1L),
                Map.entry("AutoRestart", true));
        SettingDefinition update = ComfyUiSelfStartSettings.SCHEMA.find("AutoUpdate").orElseThrow();
        assertThat(update.values()).containsExactly("true", "aggressive", "false");
        assertThat(update.valueNames()).containsExactly("Always Update", "Always Aggressively Update (Force-Update)",
                "Don't Update");
        SettingDefinition frontend = ComfyUiSelfStartSettings.SCHEMA.find("FrontendVersion").orElseThrow();
        assertThat(frontend.values()).containsExactly("Latest", "None", "LatestSwarmValidated", "Legacy");
        assertThat(frontend.valueNames()).containsExactly("Latest", "None", "Latest Swarm Validated",
                "Legacy (Pre Sept 2024)");
        SettingDefinition previews = ComfyUiSelfStartSettings.SCHEMA.find("EnablePreviews").orElseThrow();
        assertThat(previews.values()).containsExactly("false", "true", "taesd");
        assertThat(previews.valueNames()).containsExactly("Disabled", "Enabled (fast latent2rgb)",
                "Enabled HD (slow TAESD)");
    }

    @Test
    void gpuIdsMustBeDistinctNonNegativeIntegers() {
        assertThat(issues(Map.of("GPU_ID", "0"))).isEmpty();
        assertThat(issues(Map.of("GPU_ID", "0, 1,3"))).isEmpty();
        for (String bad : List.of("", "-1", "a", "0,", "1.5", "0;1")) {
            assertThat(issues(Map.of("GPU_ID", bad))).as(bad).extracting(SettingIssue::setting).containsExactly("GPU_ID");
        }
        assertThat(issues(Map.of("GPU_ID", "1,01"))).singleElement()
                .satisfies(issue -> assertThat(issue.message()).contains("twice"));
    }

    @Test
    void theStartScriptMustBeAPythonShellOrBatchFile() {
        assertThat(issues(Map.of("StartScript", "/opt/ComfyUI/main.py"))).isEmpty();
        assertThat(issues(Map.of("StartScript", "\"/opt/ComfyUI/run.sh\""))).isEmpty();
        assertThat(issues(Map.of("StartScript", "C:\\ComfyUI\\run.BAT"))).isEmpty();
        assertThat(issues(Map.of("StartScript", "/opt/ComfyUI/main"))).extracting(SettingIssue::setting)
                .containsExactly("StartScript");
    }

    @Test
    void unclosedQuotesInExtraArgsAreRefused() {
        assertThat(issues(Map.of("ExtraArgs", "--foo 'bar"))).extracting(SettingIssue::setting)
                .containsExactly("ExtraArgs");
    }

    @Test
    void internalArgumentsFollowPreviewsAndFrontendUnlessDisabled() {
        assertThat(settings(Map.of()).internalArgs()).containsExactly("--preview-method", "latent2rgb",
                "--front-end-version", "Comfy-Org/ComfyUI_frontend@v" + ComfyUiSelfStartSettings.SWARM_VALIDATED_FRONTEND);
        assertThat(settings(Map.of("EnablePreviews", "taesd", "FrontendVersion", "Legacy")).internalArgs())
                .containsExactly("--preview-method", "taesd", "--front-end-version",
                        "Comfy-Org/ComfyUI_legacy_frontend@latest");
        assertThat(settings(Map.of("EnablePreviews", "false", "FrontendVersion", "None")).internalArgs()).isEmpty();
        assertThat(settings(Map.of("DisableInternalArgs", true)).internalArgs()).isEmpty();
    }

    @Test
    void theCommandUsesPython3OrTheVenvBesideTheScript(@org.junit.jupiter.api.io.TempDir Path folder)
            throws Exception {
        Path script = folder.resolve("main.py");
        assertThat(LaunchCommand.of(script, List.of("--lowvram"), 7821, List.of("--preview-method", "taesd")))
                .containsExactly("python3", "-s", script.toString(), "--lowvram", "--port", "7821",
                        "--preview-method", "taesd");
        Path python = folder.resolve("venv/bin/python");
        java.nio.file.Files.createDirectories(python.getParent());
        java.nio.file.Files.writeString(python, "#!/bin/sh\n");
        python.toFile().setExecutable(true);
        assertThat(LaunchCommand.of(script, List.of(), 1, List.of()).get(0)).isEqualTo(python.toString());
        assertThat(LaunchCommand.of(folder.resolve("run.sh"), List.of(), 2, List.of()))
                .containsExactly(folder.resolve("run.sh").toString(), "--port", "2");
    }

    @Test
    void shellWordsSplitLikeAShell() {
        assertThat(ShellWords.split("  --a b  'c d' \"e \\\"f\\\"\" g\\ h ''")).containsExactly("--a", "b", "c d",
                "e \"f\"", "g h", "");
        assertThat(ShellWords.split("")).isEmpty();
        assertThat(ShellWords.split("$HOME;rm")).containsExactly("$HOME;rm");
        assertThatThrownBy(() -> ShellWords.split("\"open")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ShellWords.split("end\\")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theChildEnvironmentKeepsOnlySystemBasics() {
        Map<String, String> server = Map.of("PATH", "/bin", "HOME", "/home/x", "LC_ALL", "C.UTF-8",
                "AWS_SECRET_ACCESS_KEY", "s", "PYTHONPATH", "/evil", "SWITCHBOARD_TOKEN", "t");
        assertThat(ChildEnvironment.of(server, "2")).containsEntry("PATH", "/bin").containsEntry("HOME", "/home/x")
                .containsEntry("LC_ALL", "C.UTF-8").containsEntry("CUDA_VISIBLE_DEVICES", "2")
                .containsEntry("ROCR_VISIBLE_DEVICES", "2").containsEntry("HIP_VISIBLE_DEVICES", "2")
                .containsEntry("PYTHONUNBUFFERED", "1")
                .doesNotContainKeys("AWS_SECRET_ACCESS_KEY", "PYTHONPATH", "SWITCHBOARD_TOKEN");
    }

    /** The list README's "environment" row gives, name for name: keep the two in step. */
    @Test
    void theChildEnvironmentIsExactlyWhatTheReadmeLists() {
        Map<String, String> server = new HashMap<>();
        for (String name : List.of("PATH", "HOME", "LANG", "LANGUAGE", "LC_ALL", "LC_TIME", "TMPDIR", "TEMP", "TMP",
                "USER", "LOGNAME", "TZ", "SYSTEMROOT", "SHELL", "DISPLAY", "SSH_AUTH_SOCK", "JAVA_OPTS", "LD_PRELOAD")) {
            server.put(name, "value of " + name);
        }

        assertThat(ChildEnvironment.of(server, "0").keySet()).containsExactlyInAnyOrder("PATH", "HOME", "LANG",
                "LANGUAGE", "LC_ALL", "LC_TIME", "TMPDIR", "TEMP", "TMP", "USER", "LOGNAME", "TZ", "SYSTEMROOT",
                "PYTHONUNBUFFERED", "PYTHONIOENCODING", "GIT_TERMINAL_PROMPT", "CUDA_VISIBLE_DEVICES",
                "ROCR_VISIBLE_DEVICES", "HIP_VISIBLE_DEVICES");
        assertThat(ChildEnvironment.of(Map.of(), "0")).containsEntry("PATH", "/usr/local/bin:/usr/bin:/bin");
    }

    @Test
    void backoffDoublesUpToTheCap() {
        SelfStartTuning tuning = SelfStartTuning.DEFAULTS;
        assertThat(tuning.backoff(1)).hasSeconds(2);
        assertThat(tuning.backoff(2)).hasSeconds(4);
        assertThat(tuning.backoff(3)).hasSeconds(8);
        assertThat(tuning.backoff(20)).hasSeconds(60);
    }

    private static List<SettingIssue> issues(Map<String, Object> overrides) {
        return ComfyUiSelfStartSettings.validate(values(overrides));
    }

    private static ComfyUiSelfStartSettings settings(Map<String, Object> overrides) {
        return new ComfyUiSelfStartSettings(values(overrides));
    }

    private static Settings values(Map<String, Object> overrides) {
        Map<String, Object> values = new LinkedHashMap<>(ComfyUiSelfStartSettings.SCHEMA.defaults().values());
        values.putAll(overrides);
        return new Settings(ComfyUiSelfStartSettings.SCHEMA, values);
    }
}
