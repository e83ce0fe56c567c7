package dev.switchboard.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.switchboard.testkit.server.SwarmApiClient;
import dev.switchboard.testkit.server.SwitchboardProcess;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/switchboard import-swarmui} with the shipped plugins, and its round trip: SwarmUI backends files
 * (written by hand as SwarmUI writes them: tab-indented sections, help comments, {@code \x} for empty strings and
 * padding, multi-line values as {@code \n}; a current one and an old StableSwarmUI one) imported into a data
 * directory, then a server started on it lists every backend over HTTP with the same id, title, enabled flag and
 * settings (secrets masked as for any other backend), and reports those whose type no shipped plugin provides as
 * kept but not loaded. Also: the dry run, taken ids and {@code --replace}, {@code Backends.fds~2} read when
 * {@code Backends.fds} is missing, and damaged files refused naming their line with nothing written.
 */
final class SwarmUiImportIT {
    private static final Duration RUN = Duration.ofSeconds(60);

    @TempDir
    Path folder;

    private SwitchboardProcess.Result importSwarmUi(String... options) {
        List<String> command = new ArrayList<>(List.of(ShippedDistribution.launcher().toString(), "import-swarmui"));
        command.addAll(List.of(options));
        return SwitchboardProcess.run(folder, command, RUN);
    }

    private static JsonObject json(String text) {
        return JsonParser.parseString(text).getAsJsonObject();
    }

    @Test
    void importedBackendsAreListedByAServerStartedOnTheDataDirectory() throws Exception {
        Path fds = folder.resolve("SwarmUI/Data/Backends.fds");
        Files.createDirectories(fds.getParent());
        try (InputStream in = SwarmUiImportIT.class.getResourceAsStream("Backends.fds")) {
            Files.write(fds, in.readAllBytes());
        }
        Path data = folder.resolve("data");

        SwitchboardProcess.Result dryRun = importSwarmUi(fds.toString(), "--data-dir", data.toString(), "--dry-run");
        assertThat(dryRun.exitCode()).as(dryRun.output()).isZero();
        assertThat(dryRun.output()).contains("Dry run: would import 4 backends").contains("Dry run: nothing was written.")
                .doesNotContain("Preparing the class data archive");
        assertThat(data).doesNotExist();

        // The Data folder stands for its Backends.fds.
        SwitchboardProcess.Result imported = importSwarmUi(fds.getParent().toString(), "--data-dir", data.toString());
        assertThat(imported.exitCode()).as(imported.output()).isZero();
        assertThat(imported.output()).contains("Imported 4 backends into " + data.resolve("backends.json"))
                .contains("autoscalingbackend (backend 7)")
                .doesNotContain("sk-swarm-7f3a9c").doesNotContain("key-91b2e4").doesNotContain("scaler-secret-55d1");
        String backendsJson = Files.readString(data.resolve("backends.json"));
        assertThat(backendsJson).contains("Bearer sk-swarm-7f3a9c").contains("Bearer scaler-secret-55d1");

        SwitchboardProcess.Result again = importSwarmUi(fds.toString(), "--data-dir", data.toString());
        assertThat(again.exitCode()).as(again.output()).isEqualTo(1);
        assertThat(again.output()).contains("the id 0 is already used").contains("nothing was imported (4 problems)");
        assertThat(Files.readString(data.resolve("backends.json"))).isEqualTo(backendsJson);

        try (SwitchboardProcess server = ShippedDistribution.start(folder, List.of("--port", "0", "--data-dir",
                data.toString()))) {
            SwarmApiClient api = new SwarmApiClient(server.awaitReady(RUN));
            JsonObject listed = api.call("ListBackends", "{\"nonreal\":false}");
            assertThat(listed.keySet()).containsExactlyInAnyOrder("0", "3", "4");

            JsonObject selfStart = listed.getAsJsonObject("0");
            assertThat(selfStart.get("type").getAsString()).isEqualTo("comfyui_selfstart");
            assertThat(selfStart.get("title").getAsString()).isEmpty();
            assertThat(selfStart.get("enabled").getAsBoolean()).isTrue();
            assertThat(selfStart.getAsJsonObject("settings")).isEqualTo(json("""
                    {"StartScript": "dlbackend/comfy/ComfyUI/main.py",
                     "ExtraArgs": "--lowvram --output-directory \\"/srv/comfy out\\"", "DisableInternalArgs": false,
                     "AutoUpdate": "aggressive", "UpdateManagedNodes": "false",
                     "FrontendVersion": "LatestSwarmValidated", "EnablePreviews": "taesd", "GPU_ID": "0,1",
                     "OverQueue": 2, "AutoRestart": true}"""));

            JsonObject swarm = listed.getAsJsonObject("3");
            assertThat(swarm.get("type").getAsString()).isEqualTo("swarmswarmbackend");
            assertThat(swarm.get("title").getAsString()).isEqualTo("GPU box: the big one");
            assertThat(swarm.get("enabled").getAsBoolean()).isFalse();
            assertThat(swarm.get("status").getAsString()).isEqualTo("disabled");
            assertThat(swarm.getAsJsonObject("settings")).isEqualTo(json("""
                    {"Address": "http://127.0.0.1:9", "AllowIdle": true, "AllowForwarding": false,
                     "AllowWebsocket": true, "AuthorizationHeader": "\\t<secret>",
                     "OtherHeaders": "X-Team: \\t<secret>\\nX-Api-Key: \\t<secret>",
                     "ConnectionAttemptTimeoutSeconds": 45}"""));

            JsonObject byAddress = listed.getAsJsonObject("4");
            assertThat(byAddress.get("title").getAsString()).isEqualTo(" padded title ");
            assertThat(byAddress.getAsJsonObject("settings")).isEqualTo(json("""
                    {"Address": "http://127.0.0.1:9", "AllowIdle": false, "OverQueue": 1,
                     "EnableFrontendDev": false}"""));

            JsonArray unloaded = api.call("ListPlugins").getAsJsonArray("unloaded_backends");
            assertThat(unloaded).hasSize(1);
            JsonObject scaler = unloaded.get(0).getAsJsonObject();
            assertThat(scaler.get("id").getAsInt()).isEqualTo(7);
            assertThat(scaler.get("type").getAsString()).isEqualTo("autoscalingbackend");
            assertThat(scaler.get("title").getAsString()).isEqualTo("Scaler\\farm");

            // A new backend gets the id after the imported ones.
            assertThat(api.call("AddNewBackend", "{\"type_id\":\"comfyui_api\"}").get("id").getAsInt()).isEqualTo(8);
            server.terminate();
            assertThat(server.awaitExit(RUN)).isZero();
        }
        assertThat(Files.readString(data.resolve("backends.json"))).as("the unknown type's entry is kept verbatim")
                .contains("\"MinWaitBetweenStart\": \"1.5\"").contains("Bearer scaler-secret-55d1");
    }

    /**
     * An OLD (StableSwarmUI) file, written by hand as it wrote one: no titles or enabled flags on some backends, the
     * self-start type's old boolean and integer settings, fewer Swarm settings, a type that no longer exists. SwarmUI
     * was interrupted while saving it, so only its {@code Backends.fds~2} is there. It goes into a data directory a
     * server already uses: the taken id is refused until {@code --replace}, and then only that entry changes.
     */
    @Test
    void anOldFileLeftAsSwarmUisSaveCopyReplacesATakenIdOnlyWithReplace() throws Exception {
        Path swarmData = Files.createDirectories(folder.resolve("StableSwarmUI/Data"));
        Files.writeString(swarmData.resolve("Backends.fds~2"), String.join("\n",
                "0:",
                "\ttype: comfyui_selfstart",
                "\tenabled: false",
                "\tsettings:",
                "\t\t#The location of the 'main.py' file. Can be an absolute or relative path, but must end with"
                        + " 'main.py'.",
                "\t\t#If you used the installer, this should be 'dlbackend/ComfyUI/main.py'.",
                "\t\tStartScript: /opt/ComfyUI/main.py",
                "\t\t#Any arguments to include in the launch script.",
                "\t\tExtraArgs: \\x",
                "\t\tDisableInternalArgs: false",
                "\t\tAutoUpdate: true",
                "\t\tEnablePreviews: true",
                "\t\tGPU_ID: 0",
                "\t\tOverQueue: 1",
                "2:",
                "\ttype: swarmswarmbackend",
                "\ttitle: Old remote",
                "\tsettings:",
                "\t\t#The network address of the other Swarm instance.",
                "\t\tAddress: http://127.0.0.1:9",
                "\t\tAllowIdle: false",
                "\t\tAllowForwarding: false",
                "\t\tAllowWebsocket: true",
                "5:",
                "\ttype: stability_api",
                "\ttitle: \\x",
                "\tenabled: false",
                "\tsettings:",
                "\t\tEndpoint: https://api.stability.ai/v1",
                "\t\tKeyFile: sapi_key.dat",
                ""));
        Path data = folder.resolve("data");
        try (SwitchboardProcess server = ShippedDistribution.start(folder, List.of("--port", "0", "--data-dir",
                data.toString()))) {
            SwarmApiClient api = new SwarmApiClient(server.awaitReady(RUN));
            assertThat(api.call("AddNewBackend", "{\"type_id\":\"comfyui_api\"}").get("id").getAsInt()).isZero();
            assertThat(api.call("AddNewBackend", "{\"type_id\":\"comfyui_api\"}").get("id").getAsInt()).isEqualTo(1);
            assertThat(api.call("EditBackend", "{\"backend_id\":1,\"title\":\"kept\",\"settings\":"
                    + "{\"Address\":\"http://127.0.0.1:9\",\"OverQueue\":\"3\"}}").has("error")).isFalse();
            server.terminate();
            assertThat(server.awaitExit(RUN)).isZero();
        }
        Map<String, String> before = backendsFiles(data);
        assertThat(before).containsKey("backends.json");

        SwitchboardProcess.Result refused = importSwarmUi(swarmData.toString(), "--data-dir", data.toString());
        assertThat(refused.exitCode()).as(refused.output()).isEqualTo(1);
        assertThat(refused.output()).contains(swarmData.resolve("Backends.fds~2") + ": line 1: backend 0"
                        + " (comfyui_selfstart): the id 0 is already used by backend '' (comfyui_api); --replace"
                        + " overwrites it")
                .contains("nothing was imported (1 problem)");
        assertThat(backendsFiles(data)).isEqualTo(before);

        SwitchboardProcess.Result dryRun = importSwarmUi(swarmData.toString(), "--data-dir", data.toString(),
                "--replace", "--dry-run");
        assertThat(dryRun.exitCode()).as(dryRun.output()).isZero();
        assertThat(dryRun.output())
                .contains(swarmData.resolve("Backends.fds") + " does not exist; reading "
                        + swarmData.resolve("Backends.fds~2") + ", the copy SwarmUI keeps while it saves.")
                .contains("Dry run: would import 3 backends")
                .contains("  0  comfyui_selfstart  \"\"  disabled  replaces the backend with this id")
                .contains("  2  swarmswarmbackend  \"Old remote\"  enabled  new")
                .contains("not in the file, so the defaults: UpdateManagedNodes, FrontendVersion, AutoRestart")
                .contains("stability_api (backend 5)")
                .contains("Dry run: nothing was written.");
        assertThat(backendsFiles(data)).isEqualTo(before);

        SwitchboardProcess.Result replaced = importSwarmUi(swarmData.toString(), "--data-dir", data.toString(),
                "--replace");
        assertThat(replaced.exitCode()).as(replaced.output()).isZero();
        assertThat(replaced.output()).contains("Imported 3 backends into " + data.resolve("backends.json"));

        try (SwitchboardProcess server = ShippedDistribution.start(folder, List.of("--port", "0", "--data-dir",
                data.toString()))) {
            SwarmApiClient api = new SwarmApiClient(server.awaitReady(RUN));
            JsonObject listed = api.call("ListBackends", "{\"nonreal\":false}");
            assertThat(listed.keySet()).containsExactlyInAnyOrder("0", "1", "2");

            JsonObject selfStart = listed.getAsJsonObject("0");
            assertThat(selfStart.get("type").getAsString()).isEqualTo("comfyui_selfstart");
            assertThat(selfStart.get("title").getAsString()).isEmpty();
            assertThat(selfStart.get("enabled").getAsBoolean()).isFalse();
            // SwarmUI's own migration: the old boolean and integer values read as the text settings they became.
            assertThat(selfStart.getAsJsonObject("settings")).isEqualTo(json("""
                    {"StartScript": "/opt/ComfyUI/main.py", "ExtraArgs": "", "DisableInternalArgs": false,
                     "AutoUpdate": "true", "UpdateManagedNodes": "false", "FrontendVersion": "LatestSwarmValidated",
                     "EnablePreviews": "true", "GPU_ID": "0", "OverQueue": 1, "AutoRestart": true}"""));

            JsonObject kept = listed.getAsJsonObject("1");
            assertThat(kept.get("title").getAsString()).isEqualTo("kept");
            assertThat(kept.getAsJsonObject("settings")).isEqualTo(json("""
                    {"Address": "http://127.0.0.1:9", "AllowIdle": false, "OverQueue": 3,
                     "EnableFrontendDev": false}"""));

            JsonObject swarm = listed.getAsJsonObject("2");
            assertThat(swarm.get("type").getAsString()).isEqualTo("swarmswarmbackend");
            assertThat(swarm.get("title").getAsString()).isEqualTo("Old remote");
            assertThat(swarm.get("enabled").getAsBoolean()).as("SwarmUI's default when 'enabled' is missing").isTrue();
            assertThat(swarm.getAsJsonObject("settings")).isEqualTo(json("""
                    {"Address": "http://127.0.0.1:9", "AllowIdle": false, "AllowForwarding": false,
                     "AllowWebsocket": true, "AuthorizationHeader": "", "OtherHeaders": "",
                     "ConnectionAttemptTimeoutSeconds": 30}"""));

            JsonArray unloaded = api.call("ListPlugins").getAsJsonArray("unloaded_backends");
            assertThat(unloaded).hasSize(1);
            assertThat(unloaded.get(0).getAsJsonObject().get("id").getAsInt()).isEqualTo(5);
            assertThat(unloaded.get(0).getAsJsonObject().get("type").getAsString()).isEqualTo("stability_api");

            assertThat(api.call("AddNewBackend", "{\"type_id\":\"comfyui_api\"}").get("id").getAsInt()).isEqualTo(6);
            server.terminate();
            assertThat(server.awaitExit(RUN)).isZero();
        }
    }

    /**
     * Damaged files, each refused naming its line with nothing written: {@code backends.json} and its backups keep
     * their bytes.
     */
    @Test
    void aDamagedFileNamesItsLineAndWritesNothing() throws IOException {
        Path data = folder.resolve("data");
        Path good = Files.writeString(folder.resolve("good.fds"), "1:\n\ttype: comfyui_api\n\ttitle: first\n");
        assertThat(importSwarmUi(good.toString(), "--data-dir", data.toString()).exitCode()).isZero();
        Map<String, String> before = backendsFiles(data);

        record Damage(String text, String error) {
        }
        List<Damage> damages = List.of(
                new Damage("0:\n\ttype: comfyui_api\n\tenabled: maybe\n",
                        "line 3: 'enabled' of backend 0 must be true or false"),
                new Damage("0:\n\ttype: comfyui_api\n\t\ttitle: misplaced\n", "line 3: indented by 8 spaces"),
                new Damage("0:\n\ttype: comfyui_api\n\tsettings:\n\t\tAuthorizationHeader Bearer sk-hidden-4d1e\n",
                        "line 4: not a 'key: value' line (no ':' in it)"),
                new Damage("2:\n\ttype: comfyui_api\ngpu:\n\ttype: comfyui_api\n",
                        "line 3: the top-level key 'gpu' is not a backend id"),
                new Damage("0:\n\ttype: comfyui_api\n\tsettings:\n\t\tOverQueue: lots\n",
                        "line 4: backend 0 (comfyui_api): Invalid value \"lots\" for setting 'OverQueue'"));
        for (Damage damage : damages) {
            Path fds = Files.writeString(folder.resolve("Backends.fds"), damage.text());
            SwitchboardProcess.Result result = importSwarmUi(fds.toString(), "--data-dir", data.toString());
            assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
            assertThat(result.output()).as(damage.text()).contains(fds + ": " + damage.error())
                    .contains("nothing was imported").doesNotContain("sk-hidden");
            assertThat(backendsFiles(data)).as(damage.text()).isEqualTo(before);
        }
    }

    /** The bytes of backends.json and its backups. */
    private static Map<String, String> backendsFiles(Path data) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(data)) {
            for (Path file : (Iterable<Path>) list::iterator) {
                if (file.getFileName().toString().startsWith("backends.json")) {
                    files.put(file.getFileName().toString(), Files.readString(file));
                }
            }
        }
        return files;
    }
}
