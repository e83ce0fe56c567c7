package dev.switchboard.server.it.selfstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.switchboard.server.bootstrap.ServerOptions;
import dev.switchboard.server.bootstrap.SwitchboardServer;
import dev.switchboard.server.it.TestPlugins;
import dev.switchboard.testkit.comfyui.FakeComfyUiScript;
import dev.switchboard.testkit.server.SwarmApiClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code comfyui_selfstart} end to end: the packaged comfyui plugin in a real server launches the fake
 * ComfyUI {@code main.py} as real child processes.
 */
final class SelfStartIT {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final Duration TREE_GONE = Duration.ofSeconds(10);
    private static final Pattern RUNNING = Pattern.compile("Running: ComfyUI on port (\\d+) \\(pid (\\d+)\\)");

    @TempDir
    Path temp;

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final java.util.Set<Long> seenPids = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
        // A failed test may leave a server killed with SIGKILL; never let its fake ComfyUI outlive the test.
        seenPids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    @Test
    void aLaunchedComfyUiRunsWithItsPortMaxUsagesFeaturesAndLogs() throws Exception {
        SwarmApiClient api = startServer(Duration.ofMinutes(10));
        Path script = FakeComfyUiScript.install(folder("comfy"));

        JsonObject view = addBackend(api, script, "", 2);

        assertThat(view.get("max_usages").getAsInt()).isEqualTo(3);
        // Exactly what the generator implements (generation.md 5.2 #7), whatever nodes the fake has.
        assertThat(view.get("features").toString()).isEqualTo("[\"comfyui\",\"folderslash\"]");
        Matcher running = RUNNING.matcher(view.get("status_message").getAsString());
        assertThat(running.matches()).isTrue();
        String port = running.group(1);
        await().atMost(PATIENCE).until(() -> logs(api).contains("To see the GUI go to: http://127.0.0.1:" + port));
        JsonObject page = api.call("GetBackendLogs", "{\"backend_id\":0,\"since\":0,\"limit\":1000}");
        assertThat(page.get("lines").toString()).contains("fake ComfyUI starting, mode serve");

        long pid = Long.parseLong(running.group(2));
        long started = System.nanoTime();
        api.call("DeleteBackend", "{\"backend_id\":0}");
        await().atMost(TREE_GONE).until(() -> !alive(pid));
        System.out.printf("well-behaved ComfyUI stopped %d ms after DeleteBackend was sent%n",
                Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    @Test
    void anExitAtOnceIsErroredWithTheExitCodeAndOutput() throws Exception {
        SwarmApiClient api = startServer(Duration.ofMinutes(10));
        Path script = FakeComfyUiScript.install(folder("comfy"));

        JsonObject view = addBackend(api, script, "--mode exit", 1);

        assertThat(view.get("status").getAsString()).isEqualTo("errored");
        assertThat(view.get("status_message").getAsString())
                .startsWith("ComfyUI exited with code 1 during start-up. Last output: ")
                .contains("RuntimeError: fake start-up failure");
        assertThat(logs(api)).contains("RuntimeError: fake start-up failure");
    }

    @Test
    void aComfyUiThatNeverBecomesReadyIsErroredAtTheStartTimeout() throws Exception {
        SwarmApiClient api = startServer(Duration.ofSeconds(3));
        Path folder = folder("comfy");
        Path script = FakeComfyUiScript.install(folder);

        JsonObject view = addBackend(api, script, "--mode never-ready --report " + folder.resolve("report.json"), 1);

        assertThat(view.get("status").getAsString()).isEqualTo("errored");
        assertThat(view.get("status_message").getAsString()).startsWith("ComfyUI did not become ready within 3 s");
        assertThat(alive(report(folder).get("pid").getAsLong())).isFalse();
    }

    @Test
    void anAddressInUseErrorIsRetriedOnAnotherPort() throws Exception {
        SwarmApiClient api = startServer(Duration.ofMinutes(10));
        Path folder = folder("comfy");
        Path script = FakeComfyUiScript.install(folder);

        JsonObject view = addBackend(api, script, "--mode busy-once --marker " + folder.resolve("marker"), 1);

        assertThat(view.get("status").getAsString()).isEqualTo("running");
        assertThat(logs(api)).contains("[Errno 98]").contains("was already in use; trying another port.");
    }

    @Test
    void aHostileTreeIsGoneAfterRestartAndAfterDelete() throws Exception {
        SwarmApiClient api = startServer(Duration.ofMinutes(10));
        Path folder = folder("comfy");
        Path script = FakeComfyUiScript.install(folder);
        addBackend(api, script, "--mode hostile --report " + folder.resolve("report.json"), 1);
        JsonObject first = report(folder);
        assertThat(alive(first.get("grandchild").getAsLong())).isTrue();

        assertThat(api.call("RestartBackends", "{\"backend\":\"0\"}").get("count").getAsInt()).isEqualTo(1);

        await().atMost(TREE_GONE).until(() -> !alive(first.get("pid").getAsLong())
                && !alive(first.get("grandchild").getAsLong()));
        await().atMost(PATIENCE).until(() -> status(api).equals("running")
                && report(folder).get("pid").getAsLong() != first.get("pid").getAsLong());
        JsonObject second = report(folder);

        long started = System.nanoTime();
        assertThat(api.call("DeleteBackend", "{\"backend_id\":0}").get("result").getAsString()).isEqualTo("Deleted.");
        await().atMost(TREE_GONE).until(() -> !alive(second.get("pid").getAsLong())
                && !alive(second.get("grandchild").getAsLong()));
        System.out.printf("hostile tree stopped %d ms after DeleteBackend was sent%n",
                Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    @Test
    void aCrashLoopEndsErroredAndRestartStartsAfresh() throws Exception {
        SwarmApiClient api = startServer(Duration.ofMinutes(10));
        Path script = FakeComfyUiScript.install(folder("comfy"));
        addBackend(api, script, "", 1);

        // Three crashes, each of a ComfyUI seen running (killed by the test, so no crash depends on a timing
        // window); production backoff relaunches after 2 s and 4 s, and the third crash within 10 minutes ends it.
        long crashed = 0;
        String port = "";
        for (int crash = 1; crash <= 3; crash++) {
            long previous = crashed;
            await().atMost(PATIENCE).until(() -> runningPid(api) > 0 && runningPid(api) != previous);
            Matcher running = RUNNING.matcher(view(api).get("status_message").getAsString());
            assertThat(running.matches()).isTrue();
            port = running.group(1);
            crashed = Long.parseLong(running.group(2));
            kill(crashed);
        }
        await().atMost(PATIENCE).until(() -> status(api).equals("errored"));
        assertThat(view(api).get("status_message").getAsString()).startsWith("crash loop: ComfyUI exited 3 times"
                + " within 600 s (last exit code 137), so it is not restarted again. Fix the cause, then restart,"
                + " toggle or edit the backend. Last output: fake ComfyUI starting, mode serve | To see the GUI go to:"
                + " http://127.0.0.1:" + port + " | ");

        api.call("RestartBackends", "{\"backend\":\"0\"}");

        await().atMost(PATIENCE).until(() -> status(api).equals("running"));
    }

    private SwarmApiClient startServer(Duration startTimeout) throws Exception {
        ServerOptions options = new ServerOptions("127.0.0.1", 0, folder("data"), plugins(), false, 1 << 20,
                startTimeout);
        SwitchboardServer server = SwitchboardServer.start(options);
        resources.add(server);
        return new SwarmApiClient(server.url());
    }

    /** @return the pid of the running ComfyUI named by the status message, or 0 when it is not running */
    private long runningPid(SwarmApiClient api) {
        JsonObject view = view(api);
        Matcher running = RUNNING.matcher(view.get("status_message").getAsString());
        if (!view.get("status").getAsString().equals("running") || !running.matches()) {
            return 0;
        }
        long pid = Long.parseLong(running.group(2));
        seenPids.add(pid);
        return pid;
    }

    /** SIGKILL to a launched ComfyUI and its children (e.g. a python3 behind a wrapper script): a crash. */
    private static void kill(long pid) {
        ProcessHandle.of(pid).ifPresent(process -> {
            List<ProcessHandle> children = process.descendants().toList();
            process.destroyForcibly();
            children.forEach(ProcessHandle::destroyForcibly);
        });
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
        return view(api);
    }

    private static JsonObject view(SwarmApiClient api) {
        return api.call("ListBackends").getAsJsonObject("0");
    }

    private static String status(SwarmApiClient api) {
        return view(api).get("status").getAsString();
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

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private Path folder(String name) throws IOException {
        return Files.createDirectories(temp.resolve(name));
    }

    private static Path plugins() {
        return TestPlugins.shipped();
    }
}
