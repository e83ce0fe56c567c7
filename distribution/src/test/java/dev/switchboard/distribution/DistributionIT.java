package dev.switchboard.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.switchboard.testkit.comfyui.ComfyUiStandIn;
import dev.switchboard.testkit.server.SwarmApiClient;
import dev.switchboard.testkit.server.SwitchboardProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One full run of the assembled distribution's bin/switchboard, from an unrelated working directory. */
final class DistributionIT {
    private static final Path HOME = Path.of(System.getProperty("switchboard.distribution"));
    private static final String LAUNCHER = HOME.resolve("bin/switchboard").toString();

    @TempDir
    Path workingDirectory;

    @Test
    void theDistributionServesTheApiWithItsComfyUiPluginAndStopsCleanly() throws Exception {
        assertThat(HOME.resolve("bin/switchboard")).isExecutable();
        assertThat(HOME.resolve("plugins/comfyui/plugin.properties")).exists();
        assertThat(HOME.resolve("plugins/swarm/plugin.properties")).exists();
        try (ComfyUiStandIn comfy = ComfyUiStandIn.start();
             SwitchboardProcess server = SwitchboardProcess.start(workingDirectory, List.of(LAUNCHER, "--port", "0"))) {
            SwarmApiClient api = new SwarmApiClient(server.awaitReady(Duration.ofSeconds(60)));
            assertThat(server.output()).contains("Data directory: " + workingDirectory.toRealPath().resolve("data"));

            assertThat(api.call("ListBackendTypes").toString()).contains("\"comfyui_api\"", "\"swarmswarmbackend\"");
            Map<String, String> plugins = new TreeMap<>();
            for (JsonElement plugin : api.call("ListPlugins").getAsJsonArray("plugins")) {
                JsonObject json = plugin.getAsJsonObject();
                plugins.put(json.get("id").getAsString(), json.get("state").getAsString() + " "
                        + json.get("backend_types") + " " + json.get("error").getAsString());
            }
            assertThat(plugins).containsExactly(
                    Map.entry("comfyui", "started [\"comfyui_api\",\"comfyui_selfstart\"] "),
                    Map.entry("swarm", "started [\"swarmswarmbackend\"] "));
            api.call("AddNewBackend", "{\"type_id\":\"comfyui_api\"}");
            JsonObject edited = api.call("EditBackend", "{\"backend_id\":0,\"title\":\"dist\","
                    + "\"settings\":{\"Address\":\"" + comfy.baseUrl() + "\"}}");
            assertThat(edited.has("error")).as(edited.toString()).isFalse();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    api.call("ListBackends").getAsJsonObject("0").get("status").getAsString()).isEqualTo("running"));
            assertThat(workingDirectory.resolve("data/backends.json")).exists();

            server.terminate();
            assertThat(server.awaitExit(Duration.ofSeconds(30))).as(String.join("\n", server.output())).isZero();
            assertThat(server.output()).filteredOn(line -> line.startsWith("Switchboard listening on")).hasSize(1);
        }
    }

    /**
     * Every answer from an engine completes on a pooled thread, never on one started for it: with one thread in
     * the JVM's common pool (what the JDK gives a machine of two processors, forced here whatever this machine
     * has) the JDK HTTP client would start a thread for each of the backends' calls and health probes.
     */
    @Test
    void answersFromEnginesDoNotEachStartAThread() throws Exception {
        int backends = 20;
        try (ComfyUiStandIn comfy = ComfyUiStandIn.start();
             SwitchboardProcess server = SwitchboardProcess.start(workingDirectory, List.of(LAUNCHER, "--port", "0"),
                     Map.of("JAVA_OPTS", "-XX:ActiveProcessorCount=2"))) {
            String url = server.awaitReady(Duration.ofSeconds(60));
            SwarmApiClient api = new SwarmApiClient(url);
            for (int id = 0; id < backends; id++) {
                api.call("AddNewBackend", "{\"type_id\":\"comfyui_api\"}");
                JsonObject edited = api.call("EditBackend", "{\"backend_id\":" + id + ",\"title\":\"gpu " + id
                        + "\",\"settings\":{\"Address\":\"" + comfy.baseUrl() + "\"}}");
                assertThat(edited.has("error")).as(edited.toString()).isFalse();
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> api.call("ListBackends").entrySet().stream()
                    .filter(entry -> entry.getValue().getAsJsonObject().get("status").getAsString().equals("running"))
                    .count() == backends);
            // From here the health probes, four a second, are the calls.
            double startedBefore = threadsStarted(url);
            int requestsBefore = comfy.requests().size();
            await().atMost(Duration.ofSeconds(120)).until(() -> comfy.requests().size() >= requestsBefore + 80);
            double started = threadsStarted(url) - startedBefore;
            int calls = comfy.requests().size() - requestsBefore;
            assertThat(started).as("threads started during %d calls to the engine", calls).isLessThan(calls / 4.0);
        }
    }

    private static double threadsStarted(String url) throws Exception {
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url + "/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).as(metrics.body()).isEqualTo(200);
        return metrics.body().lines().filter(line -> line.startsWith("jvm_threads_started_threads_total "))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.indexOf(' ') + 1))).findFirst()
                .orElseThrow(() -> new AssertionError("no jvm_threads_started_threads_total in " + metrics.body()));
    }

    /**
     * The first start makes the class data archive in a run of its own; later starts map it without a word
     * from the JVM (a mismatched or unusable archive would make it print a warning or refuse to start).
     */
    @Test
    void theFirstStartPreparesAClassDataArchiveThatLaterStartsUse(@TempDir Path cache) throws Exception {
        Map<String, String> environment = Map.of("SWITCHBOARD_CDS_DIR", cache.toString());
        List<String> command = List.of(LAUNCHER, "--port", "0", "--data-dir", workingDirectory.resolve("d").toString());
        try (SwitchboardProcess first = SwitchboardProcess.start(workingDirectory, command, environment)) {
            first.awaitReady(Duration.ofSeconds(120));
            assertThat(first.output()).anyMatch(line -> line.startsWith("Preparing the class data archive"));
            first.terminate();
            assertThat(first.awaitExit(Duration.ofSeconds(30))).isZero();
        }
        List<Path> archives;
        try (Stream<Path> files = Files.list(cache)) {
            archives = files.toList();
        }
        assertThat(archives).singleElement().satisfies(archive -> {
            assertThat(archive.getFileName().toString()).startsWith("classes-").endsWith(".jsa");
            assertThat(Files.size(archive)).isPositive();
        });
        FileTime made = Files.getLastModifiedTime(archives.get(0));

        try (SwitchboardProcess second = SwitchboardProcess.start(workingDirectory, command, environment)) {
            new SwarmApiClient(second.awaitReady(Duration.ofSeconds(60))).call("ListBackends");
            second.terminate();
            assertThat(second.awaitExit(Duration.ofSeconds(30))).isZero();
            assertThat(second.output()).noneMatch(line -> line.startsWith("Preparing"))
                    .noneMatch(line -> line.contains("[cds]") || line.contains("shared archive"));
        }
        try (Stream<Path> files = Files.list(cache)) {
            assertThat(files.toList()).containsExactlyElementsOf(archives);
        }
        assertThat(Files.getLastModifiedTime(archives.get(0))).isEqualTo(made);
    }

    /** What the tests of the real entry point run (ShippedDistribution) is what ships: no test library in it. */
    @Test
    void libHoldsTheServerAndItsRuntimeLibrariesOnly() throws Exception {
        List<String> jars;
        try (Stream<Path> files = Files.list(HOME.resolve("lib"))) {
            jars = files.map(file -> file.getFileName().toString()).sorted().toList();
        }
        assertThat(jars).allMatch(name -> name.endsWith(".jar"))
                .anyMatch(name -> name.startsWith("switchboard-server-"))
                .anyMatch(name -> name.startsWith("switchboard-api-"))
                .anyMatch(name -> name.startsWith("logback-classic-"))
                .noneMatch(name -> name.matches("(junit|assertj|awaitility|jazzer|selenium|opentest4j).*"))
                .noneMatch(name -> name.startsWith("switchboard-testkit") || name.startsWith("switchboard-plugin"));
        for (String jar : jars) {
            try (ZipFile zip = new ZipFile(HOME.resolve("lib").resolve(jar).toFile())) {
                assertThat(zip.getEntry("logback-test.xml")).as(jar).isNull();
            }
        }
    }

    @Test
    void helpAndUnknownFlags() {
        SwitchboardProcess.Result help = SwitchboardProcess.run(workingDirectory, List.of(LAUNCHER, "--help"),
                Duration.ofSeconds(60));
        assertThat(help.exitCode()).isZero();
        assertThat(help.output()).contains("--host", "--port", "--data-dir", "--plugins-dir", "--lock-settings");
        SwitchboardProcess.Result unknown = SwitchboardProcess.run(workingDirectory,
                List.of(LAUNCHER, "--no-such-flag"), Duration.ofSeconds(60));
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.output()).contains("Unknown option: '--no-such-flag'");
    }

    /** Log options that cannot work refuse the start (exit status 2, no restart under systemd) with the reason. */
    @Test
    void logOptionsThatCannotWorkRefuseToStart() throws Exception {
        Path data = workingDirectory.resolve("data");
        SwitchboardProcess.Result format = SwitchboardProcess.run(workingDirectory,
                List.of(LAUNCHER, "--data-dir", data.toString(), "--log-format", "xml"), Duration.ofSeconds(60));
        assertThat(format.exitCode()).as(format.output()).isEqualTo(2);
        assertThat(format.output()).contains("--log-format").contains("xml");

        Path notAFolder = Files.writeString(workingDirectory.resolve("plain-file"), "x");
        Path logFile = notAFolder.resolve("switchboard.log");
        SwitchboardProcess.Result file = SwitchboardProcess.run(workingDirectory,
                List.of(LAUNCHER, "--data-dir", data.toString(), "--log-format", "json", "--log-file",
                        logFile.toString()), Duration.ofSeconds(60));
        assertThat(file.exitCode()).as(file.output()).isEqualTo(2);
        assertThat(file.output()).contains("switchboard: Cannot write the log file " + logFile + ": ");
        assertThat(data).as("nothing was started").doesNotExist();
    }

    @Test
    void theArchiveHoldsTheSameLayout() {
        Path archive = Path.of(System.getProperty("switchboard.archive"));
        assertThat(archive).exists();
        SwitchboardProcess.Result listing = SwitchboardProcess.run(workingDirectory,
                List.of("tar", "-tzvf", archive.toString()), Duration.ofSeconds(60));
        assertThat(listing.exitCode()).isZero();
        assertThat(listing.output()).contains("switchboard/bin/switchboard", "switchboard/plugins/comfyui/plugin.properties",
                "switchboard/plugins/swarm/plugin.properties", "switchboard/plugins/swarm/lib/gson-",
                "switchboard/lib/switchboard-server-", "switchboard/systemd/switchboard.service",
                "switchboard/systemd/switchboard.env");
        assertThat(listing.output().lines().filter(line -> line.endsWith("switchboard/bin/switchboard")).findFirst()
                .orElseThrow()).startsWith("-rwxr-xr-x");
    }
}
