package dev.switchboard.server.importer;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.switchboard.server.it.TestPlugins;
import dev.switchboard.server.plugins.ApiVersion;
import dev.switchboard.server.plugins.PluginHost;
import dev.switchboard.server.store.BackendStore;
import dev.switchboard.server.store.StoredBackend;
import dev.switchboard.server.store.StoredState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The import end to end on real files, with the shipped comfyui and swarm plugins converting the settings: what
 * {@code backends.json} holds afterwards (read back through the store), what is printed, and every refusal writing
 * nothing.
 */
final class SwarmUiImportTest {
    private static final List<String> SECRETS = List.of("sk-swarm-7f3a9c", "key-91b2e4", "scaler-secret-55d1");

    @TempDir
    Path folder;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Path fds, Path data, Path plugins, boolean replace, boolean dryRun) {
        out.reset();
        err.reset();
        return new SwarmUiImport(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))
                .run(new SwarmUiImport.Request(fds, data, plugins, replace, dryRun));
    }

    private int run(Path fds, Path data, boolean replace, boolean dryRun) {
        return run(fds, data, TestPlugins.shipped(), replace, dryRun);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private static Map<Integer, StoredBackend> stored(Path data) throws Exception {
        try (BackendStore store = BackendStore.open(data)) {
            return store.state().backends().stream().collect(Collectors.toMap(StoredBackend::id, Function.identity(),
                    (a, b) -> a, TreeMap::new));
        }
    }

    private static int nextId(Path data) throws Exception {
        try (BackendStore store = BackendStore.open(data)) {
            return store.state().nextId();
        }
    }

    private static JsonObject json(String text) {
        return JsonParser.parseString(text).getAsJsonObject();
    }

    /** The bytes of backends.json and its backups. */
    private static Map<String, String> backendsFiles(Path data) throws IOException {
        Map<String, String> files = new TreeMap<>();
        if (!Files.isDirectory(data)) {
            return files;
        }
        try (Stream<Path> list = Files.list(data)) {
            for (Path file : (Iterable<Path>) list::iterator) {
                if (file.getFileName().toString().startsWith("backends.json")) {
                    files.put(file.getFileName().toString(), Files.readString(file));
                }
            }
        }
        return files;
    }

    private Path fds(String name, String text) throws IOException {
        return Files.writeString(folder.resolve(name), text);
    }

    @Test
    void aCurrentFileIsImportedWithTypedSettingsSecretsAndAnUnknownTypeKeptVerbatim() throws Exception {
        Path fds = SwarmBackendsFileTest.resource(folder.resolve("swarm"), "cur-Backends.fds");
        Path data = folder.resolve("data");

        assertThat(run(fds, data, false, false)).as(err()).isZero();

        Map<Integer, StoredBackend> stored = stored(data);
        assertThat(stored.keySet()).containsExactly(0, 3, 4, 7);
        assertThat(nextId(data)).isEqualTo(8);
        StoredBackend selfStart = stored.get(0);
        assertThat(selfStart.type()).isEqualTo("comfyui_selfstart");
        assertThat(selfStart.title()).isEmpty();
        assertThat(selfStart.enabled()).isTrue();
        assertThat(selfStart.settings()).isEqualTo(json("""
                {"StartScript": "dlbackend/comfy/ComfyUI/main.py",
                 "ExtraArgs": "--lowvram --output-directory \\"/srv/comfy out\\"", "DisableInternalArgs": false,
                 "AutoUpdate": "aggressive", "UpdateManagedNodes": "false", "FrontendVersion": "LatestSwarmValidated",
                 "EnablePreviews": "taesd", "GPU_ID": "0,1", "OverQueue": 2, "AutoRestart": true}"""));
        StoredBackend swarm = stored.get(3);
        assertThat(swarm.title()).isEqualTo("GPU box: the big one");
        assertThat(swarm.enabled()).isFalse();
        assertThat(swarm.settings()).isEqualTo(json("""
                {"Address": "http://127.0.0.1:9", "AllowIdle": true, "AllowForwarding": false, "AllowWebsocket": true,
                 "AuthorizationHeader": "Bearer sk-swarm-7f3a9c",
                 "OtherHeaders": "X-Team: imaging\\nX-Api-Key: key-91b2e4", "ConnectionAttemptTimeoutSeconds": 45}"""));
        assertThat(stored.get(4).title()).isEqualTo(" padded title ");
        assertThat(stored.get(4).settings()).isEqualTo(json("""
                {"Address": "http://127.0.0.1:9", "AllowIdle": false, "OverQueue": 1, "EnableFrontendDev": false}"""));
        StoredBackend scaler = stored.get(7);
        assertThat(scaler.type()).isEqualTo("autoscalingbackend");
        assertThat(scaler.title()).isEqualTo("Scaler\\farm");
        assertThat(scaler.settings()).as("kept verbatim, as text").isEqualTo(json("""
                {"MaxBackends": "5", "MinBackends": "0", "MinWaitBetweenStart": "1.5", "StartScript": "",
                 "AuthorizationHeader": "Bearer scaler-secret-55d1", "OtherHeaders": "",
                 "ConnectionAttemptTimeoutSeconds": "30"}"""));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("backends.json"))))
                .isEqualTo("rw-------");

        assertThat(out()).contains("Importing 4 backends from " + fds + " into " + data.resolve("backends.json"))
                .contains("  3  swarmswarmbackend  \"GPU box: the big one\"  disabled  new")
                .contains("\"AuthorizationHeader\":\"\\t<secret>\"")
                .contains("type not installed; settings kept as written (values not shown): MaxBackends,")
                .contains("Kept verbatim, as no installed plugin provides their type (listed by ListPlugins, loaded"
                        + " once a plugin provides it): autoscalingbackend (backend 7)")
                .contains("Imported 4 backends into " + data.resolve("backends.json")
                        + "; the next new backend gets id 8.");
        assertThat(err()).doesNotContain("problem");
        for (String secret : SECRETS) {
            assertThat(out() + err()).doesNotContain(secret);
        }
    }

    @Test
    void anOldFileConvertsOldSettingTypesAndGivesNewSettingsTheirDefaults() throws Exception {
        Path fds = SwarmBackendsFileTest.resource(folder.resolve("swarm"), "old-Backends.fds");
        Path data = folder.resolve("data");

        assertThat(run(fds, data, false, false)).as(err()).isZero();

        Map<Integer, StoredBackend> stored = stored(data);
        assertThat(stored.get(0).settings()).isEqualTo(json("""
                {"StartScript": "/opt/ComfyUI/main.py", "ExtraArgs": "", "DisableInternalArgs": false,
                 "AutoUpdate": "true", "UpdateManagedNodes": "false", "FrontendVersion": "LatestSwarmValidated",
                 "EnablePreviews": "true", "GPU_ID": "0", "OverQueue": 1, "AutoRestart": true}"""));
        assertThat(stored.get(1).type()).isEqualTo("stability_api");
        assertThat(stored.get(1).enabled()).isFalse();
        assertThat(stored.get(1).settings()).isEqualTo(json("""
                {"Endpoint": "https://api.stability.ai/v1", "KeyFile": "sapi_key.dat"}"""));
        assertThat(stored.get(2).enabled()).isTrue();
        assertThat(stored.get(2).settings().get("ConnectionAttemptTimeoutSeconds").getAsInt()).isEqualTo(30);
        assertThat(out()).contains("not in the file, so the defaults: UpdateManagedNodes, FrontendVersion,"
                + " AutoRestart").contains("stability_api (backend 1)");
    }

    @Test
    void takenIdsAreRefusedUnlessReplacedAndARefusalWritesNothing() throws Exception {
        Path data = folder.resolve("data");
        assertThat(run(SwarmBackendsFileTest.resource(folder.resolve("swarm"), "cur-Backends.fds"), data, false,
                false)).isZero();
        Map<String, String> before = backendsFiles(data);
        Map<Integer, StoredBackend> first = stored(data);
        Path second = fds("second.fds", "3:\n\ttype: comfyui_api\n\ttitle: new three\n\tsettings:\n"
                + "\t\tOverQueue: 3\n9:\n\ttype: comfyui_api\n");

        assertThat(run(second, data, false, false)).isEqualTo(SwarmUiImport.REFUSED);
        assertThat(err()).contains(second + ": line 1: backend 3 (comfyui_api): the id 3 is already used by backend"
                + " 'GPU box: the big one' (swarmswarmbackend); --replace overwrites it")
                .contains("nothing was imported (1 problem)");
        assertThat(out()).as("no plan listing as imported what is not").isEmpty();
        assertThat(backendsFiles(data)).isEqualTo(before);

        assertThat(run(second, data, true, false)).as(err()).isZero();
        assertThat(out()).contains("  3  comfyui_api  \"new three\"  enabled  replaces the backend with this id");
        Map<Integer, StoredBackend> stored = stored(data);
        assertThat(stored.keySet()).containsExactly(0, 3, 4, 7, 9);
        assertThat(stored.get(3).type()).isEqualTo("comfyui_api");
        assertThat(stored.get(3).settings()).as("nothing of the replaced entry is kept").isEqualTo(json("""
                {"Address": "", "AllowIdle": false, "OverQueue": 3, "EnableFrontendDev": false}"""));
        for (int untouched : List.of(0, 4, 7)) {
            assertThat(stored.get(untouched)).isEqualTo(first.get(untouched));
        }
        assertThat(nextId(data)).isEqualTo(10);
    }

    @Test
    void aDryRunPrintsThePlanAndWritesNothing() throws Exception {
        Path fds = SwarmBackendsFileTest.resource(folder.resolve("swarm"), "cur-Backends.fds");
        Path data = folder.resolve("data");

        assertThat(run(fds, data, false, true)).as(err()).isZero();
        assertThat(out()).contains("Dry run: would import 4 backends from").contains("Dry run: nothing was written.")
                .doesNotContain("Imported");
        assertThat(data).doesNotExist();

        assertThat(run(fds, data, false, false)).isZero();
        Map<String, String> before = backendsFiles(data);
        assertThat(run(fds, data, true, true)).as(err()).isZero();
        assertThat(out()).contains("replaces the backend with this id").contains("Dry run: nothing was written.");
        assertThat(run(fds, data, false, true)).as("the dry run finds the taken ids too")
                .isEqualTo(SwarmUiImport.REFUSED);
        assertThat(backendsFiles(data)).isEqualTo(before);
    }

    @Test
    void valuesThatDoNotFitTheirTypeAreRefusedNamingBackendSettingAndLine() throws Exception {
        Path data = folder.resolve("data");
        String longSecret = "Bearer " + "s3cr3t".repeat(2000);
        Path fds = fds("bad.fds", String.join("\n",
                "0:",
                "\ttype: comfyui_api",
                "\tsettings:",
                "\t\tOverQueue: lots",
                "\t\tAllowIdle: yes",
                "1:",
                "\ttype: comfyui_selfstart",
                "\tsettings:",
                "\t\tStartScript: /opt/ComfyUI/notes.txt",
                "\t\tAutoUpdate: sometimes",
                "2:",
                "\ttype: comfyui_selfstart",
                "\tsettings:",
                "\t\tStartScript: /opt/ComfyUI/notes.txt",
                "3:",
                "\ttype: swarmswarmbackend",
                "\tsettings:",
                "\t\tAuthorizationHeader: " + longSecret,
                ""));

        assertThat(run(fds, data, false, false)).isEqualTo(SwarmUiImport.REFUSED);
        assertThat(err()).contains(fds + ": line 4: backend 0 (comfyui_api): Invalid value \"lots\" for setting"
                        + " 'OverQueue': expected a whole number.")
                .contains(fds + ": line 5: backend 0 (comfyui_api): Invalid value \"yes\" for setting 'AllowIdle'")
                .contains(fds + ": line 10: backend 1 (comfyui_selfstart): Invalid value 'sometimes' for setting"
                        + " 'AutoUpdate': must be one of true, aggressive, false.")
                .contains(fds + ": line 14: backend 2 (comfyui_selfstart): Invalid value for setting 'StartScript':"
                        + " StartScript must be the path of ComfyUI's main.py")
                .contains(fds + ": line 18: backend 3 (swarmswarmbackend): Invalid value for setting"
                        + " 'AuthorizationHeader': it does not fit the setting")
                .contains("nothing was imported (5 problems)")
                .doesNotContain("s3cr3t");
        assertThat(data).as("not even the folder is created").doesNotExist();
    }

    @Test
    void withoutPluginsEveryBackendIsKeptVerbatimAndLoadsTheSameOnceThePluginIsInstalled() throws Exception {
        Path fds = SwarmBackendsFileTest.resource(folder.resolve("swarm"), "cur-Backends.fds");
        Path withoutPlugins = folder.resolve("without");
        Path withPlugins = folder.resolve("with");

        assertThat(run(fds, withoutPlugins, folder.resolve("no-plugins"), false, false)).as(err()).isZero();
        assertThat(out()).contains("comfyui_selfstart (backend 0), swarmswarmbackend (backend 3), comfyui_api"
                + " (backend 4), autoscalingbackend (backend 7)");
        assertThat(run(fds, withPlugins, false, false)).as(err()).isZero();

        Map<Integer, StoredBackend> verbatim = stored(withoutPlugins);
        Map<Integer, StoredBackend> typed = stored(withPlugins);
        assertThat(verbatim.get(0).settings().get("OverQueue").getAsString()).isEqualTo("2");
        try (PluginHost plugins = new PluginHost(TestPlugins.shipped().toAbsolutePath(), ApiVersion.current())) {
            plugins.start();
            List<Integer> compared = new ArrayList<>();
            for (int id : List.of(0, 3, 4)) {
                var schema = plugins.registry().find(typed.get(id).type()).orElseThrow().schema();
                assertThat(verbatim.get(id).bindSettings(schema)).as("backend " + id)
                        .isEqualTo(typed.get(id).bindSettings(schema));
                compared.add(id);
            }
            assertThat(compared).hasSize(3);
        }
    }

    @Test
    void aDataDirectoryInUseIsRefused() throws Exception {
        Path data = folder.resolve("data");
        Path fds = SwarmBackendsFileTest.resource(folder.resolve("swarm"), "cur-Backends.fds");
        try (BackendStore running = BackendStore.open(data)) {
            assertThat(running.state()).isEqualTo(StoredState.empty());
            assertThat(run(fds, data, false, false)).isEqualTo(SwarmUiImport.REFUSED);
            assertThat(err()).contains("nothing was imported: Data directory " + data + " is already in use");
        }
        assertThat(data.resolve("backends.json")).doesNotExist();
    }

    @Test
    void anUnreadableBackendsJsonIsRefusedWithTheStoresReasonAndLeftAsItIs() throws Exception {
        Path data = Files.createDirectories(folder.resolve("data"));
        Files.writeString(data.resolve("backends.json"), "{ not json");
        Path fds = SwarmBackendsFileTest.resource(folder.resolve("swarm"), "cur-Backends.fds");

        assertThat(run(fds, data, false, false)).isEqualTo(SwarmUiImport.REFUSED);
        assertThat(err()).contains(data.resolve("backends.json").toString()).contains("cannot be used");
        assertThat(Files.readString(data.resolve("backends.json"))).isEqualTo("{ not json");
    }

    @Test
    void aFileWithoutBackendsImportsNothingAndWritesNothing() throws Exception {
        Path fds = fds("empty.fds", "# SwarmUI with no backends configured\n");
        Path data = folder.resolve("data");

        assertThat(run(fds, data, false, false)).isZero();
        assertThat(out()).contains(fds + " holds no backends: nothing to import.");
        assertThat(data).doesNotExist();
    }

    @Test
    void aDamagedFileIsRefusedNamingItsLine() throws Exception {
        Path fds = fds("damaged.fds", "0:\n\ttype: comfyui_api\n\t\ttitle: misplaced\n");
        Path data = folder.resolve("data");

        assertThat(run(fds, data, false, false)).isEqualTo(SwarmUiImport.REFUSED);
        assertThat(err()).startsWith("switchboard import-swarmui: " + fds + ": line 3: indented by 8 spaces")
                .contains("; nothing was imported");
        assertThat(data).doesNotExist();
        // The file the line is in is named: the Backends.fds~2 read for a Data folder without Backends.fds.
        Path swarmData = Files.createDirectories(folder.resolve("Data"));
        Path copy = Files.writeString(swarmData.resolve("Backends.fds~2"), "0:\n\ttype: comfyui_api\n\tenabled: 2\n");
        assertThat(run(swarmData, data, false, false)).isEqualTo(SwarmUiImport.REFUSED);
        assertThat(err()).startsWith("switchboard import-swarmui: " + copy + ": line 3: 'enabled' of backend 0");
        Files.writeString(copy, "0:\n\ttype: comfyui_api\n\tsettings:\n\t\tOverQueue: x\n");
        assertThat(run(swarmData, data, false, false)).isEqualTo(SwarmUiImport.REFUSED);
        assertThat(err()).startsWith("switchboard import-swarmui: " + copy + ": line 4: backend 0 (comfyui_api)");
        assertThat(data).doesNotExist();
        assertThat(run(folder.resolve("missing.fds"), data, false, false)).isEqualTo(SwarmUiImport.REFUSED);
        assertThat(err()).contains("cannot read " + folder.resolve("missing.fds")).contains("missing.fds~2");
    }
}
