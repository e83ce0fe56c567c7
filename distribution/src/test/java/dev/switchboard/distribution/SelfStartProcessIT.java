package dev.switchboard.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.switchboard.testkit.comfyui.FakeComfyUiScript;
import dev.switchboard.testkit.server.SwarmApiClient;
import dev.switchboard.testkit.server.SwitchboardProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code comfyui_selfstart} with the distribution's {@code bin/switchboard} and its shipped comfyui plugin: what
 * needs the real process, SIGTERM (the launched ComfyUI tree stopped, the server's environment kept from it) and
 * SIGKILL (the tree left behind reaped by the next start).
 */
final class SelfStartProcessIT {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final Duration TREE_GONE = Duration.ofSeconds(10);

    @TempDir
    Path temp;

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final Set<Long> seenPids = ConcurrentHashMap.newKeySet();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
        // A failed test may leave a server killed with SIGKILL; never let its fake ComfyUI outlive the test.
        seenPids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    @Test
    void serverStopKillsTheHostileTreeAndTheChildNeverSeesTheServersSecrets() throws Exception {
        Path folder = folder("comfy");
        Path script = FakeComfyUiScript.install(folder);
        Path data = folder("data");
        try (SwitchboardProcess server = startProcess(data, Map.of("SWITCHBOARD_IT_SECRET", "do-not-leak"))) {
            SwarmApiClient api = new SwarmApiClient(server.awaitReady(PATIENCE));
            addBackend(api, script, "--mode hostile --report " + folder.resolve("report.json"), 1);
            JsonObject seen = report(folder);
            assertThat(processRecords(data)).hasSize(1);
            assertThat(seen.getAsJsonObject("env").has("SWITCHBOARD_IT_SECRET")).isFalse();
            assertThat(seen.getAsJsonObject("env").get("CUDA_VISIBLE_DEVICES").getAsString()).isEqualTo("0");

            long started = System.nanoTime();
            server.terminate();
            assertThat(server.awaitExit(PATIENCE)).isZero();
            System.out.printf("server with a hostile ComfyUI stopped in %d ms%n",
                    Duration.ofNanos(System.nanoTime() - started).toMillis());
            await().atMost(TREE_GONE).until(() -> !alive(seen.get("pid").getAsLong())
                    && !alive(seen.get("grandchild").getAsLong()));
            // A clean stop leaves no pid record to reap at the next start.
            assertThat(processRecords(data)).isEmpty();
        }
    }

    @Test
    void aTreeLeftByAKilledServerIsReapedAtTheNextStart() throws Exception {
        Path folder = folder("comfy");
        Path script = FakeComfyUiScript.install(folder);
        Path data = folder("data");
        JsonObject orphan;
        try (SwitchboardProcess server = startProcess(data, Map.of())) {
            SwarmApiClient api = new SwarmApiClient(server.awaitReady(PATIENCE));
            addBackend(api, script, "--mode hostile --report " + folder.resolve("report.json"), 1);
            orphan = report(folder);
            server.kill();
            server.awaitExit(PATIENCE);
        }
        assertThat(alive(orphan.get("pid").getAsLong())).isTrue();
        assertThat(alive(orphan.get("grandchild").getAsLong())).isTrue();

        try (SwitchboardProcess server = startProcess(data, Map.of())) {
            SwarmApiClient api = new SwarmApiClient(server.awaitReady(PATIENCE));
            await().atMost(PATIENCE).until(() -> !alive(orphan.get("pid").getAsLong())
                    && !alive(orphan.get("grandchild").getAsLong()));
            await().atMost(PATIENCE).until(() -> status(api).equals("running")
                    && report(folder).get("pid").getAsLong() != orphan.get("pid").getAsLong());
            assertThat(logs(api)).contains("stopping ComfyUI left running by an earlier server run (pid "
                    + orphan.get("pid").getAsLong() + ")");
            JsonObject relaunched = report(folder);
            server.terminate();
            assertThat(server.awaitExit(PATIENCE)).isZero();
            await().atMost(TREE_GONE).until(() -> !alive(relaunched.get("pid").getAsLong())
                    && !alive(relaunched.get("grandchild").getAsLong()));
        }
    }

    private SwitchboardProcess startProcess(Path data, Map<String, String> environment) {
        SwitchboardProcess server = ShippedDistribution.start(temp, List.of("--port", "0", "--data-dir",
                data.toString()), environment);
        resources.add(server);
        return server;
    }

    /** Adds backend 0 and waits until its launch settled (running or errored). */
    private static JsonObject addBackend(SwarmApiClient api, Path script, String extraArgs, int overQueue) {
        api.call("AddNewBackend", "{\"type_id\":\"comfyui_selfstart\"}");
        JsonObject settings = new JsonObject();
        settings.addProperty("StartScript", script.toString());
        settings.addProperty("ExtraArgs", extraArgs);
        settings.addProperty("OverQueue", overQueue);
        JsonObject edit = new JsonObject();
        edit.addProperty("backend_id", 0);
        edit.addProperty("title", "fake ComfyUI");
        edit.add("settings", settings);
        JsonObject edited = api.call("EditBackend", edit.toString());
        assertThat(edited.has("error")).as(edited.toString()).isFalse();
        await().atMost(PATIENCE).until(() -> List.of("running", "errored").contains(status(api)));
        return api.call("ListBackends").getAsJsonObject("0");
    }

    private static String status(SwarmApiClient api) {
        return api.call("ListBackends").getAsJsonObject("0").get("status").getAsString();
    }

    private static String logs(SwarmApiClient api) {
        return api.call("GetBackendLogs", "{\"backend_id\":0,\"limit\":1000}").get("lines").toString();
    }

    private JsonObject report(Path folder) throws IOException {
        JsonObject report = JsonParser.parseString(Files.readString(folder.resolve("report.json"))).getAsJsonObject();
        for (String key : List.of("pid", "grandchild")) {
            if (report.has(key)) {
                seenPids.add(report.get(key).getAsLong());
            }
        }
        return report;
    }

    private static List<Path> processRecords(Path data) throws IOException {
        try (Stream<Path> files = Files.walk(data)) {
            return files.filter(file -> file.getFileName().toString().equals("process.json")).toList();
        }
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private Path folder(String name) throws IOException {
        return Files.createDirectories(temp.resolve(name));
    }
}
