package dev.switchboard.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import dev.switchboard.server.it.TestPlugins;
import dev.switchboard.testkit.plugins.PluginJarBuilder;
import dev.switchboard.testkit.server.SwarmApiClient;
import dev.switchboard.testkit.server.SwitchboardProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plugin fault isolation (R4) on the real entry point, with a packaged plugin whose backends misbehave: an init
 * that hangs forever ignoring interrupts, one that throws, one that throws an {@code Error}, and one that leaks
 * a non-daemon thread that never ends. Each ends errored with its reason (a hang with the deadline it overran,
 * the others after their retries), every route keeps answering while an init that never returns is still
 * running, and SIGTERM still ends the server quickly with exit code 0. How fast the routes answer meanwhile is
 * a figure for the benchmarks, not a test.
 */
final class PluginFaultIsolationIT {
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path folder;

    @Test
    void misbehavingBackendsAreErroredWithTheirReasonsWhileEveryRouteAnswersAndTheServerStopsCleanly() {
        try (SwitchboardProcess server = start(pluginsWithFaultyTypes())) {
            SwarmApiClient api = new SwarmApiClient(server.awaitReady(START));
            // An init that is still running (it never returns) for the whole test: nothing may wait for it.
            String hostile = add(api, "faulty_hang_long");
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(reason(api.call("ListBackends"), hostile))
                    .isEqualTo("hanging on purpose"));
            Map<String, String> idOf = new LinkedHashMap<>();
            for (String type : List.of("faulty_hang", "faulty_throw", "faulty_error", "faulty_leak")) {
                idOf.put(type, add(api, type));
            }

            await().atMost(PATIENCE).untilAsserted(() -> {
                JsonObject backends = api.call("ListBackends");
                idOf.values().forEach(id -> assertThat(status(backends, id)).as("backend %s", id).isEqualTo("errored"));
            });
            JsonObject backends = api.call("ListBackends");
            // The init never returns, so only the deadline it names can have ended it; it is not retried.
            assertThat(reason(backends, idOf.get("faulty_hang")))
                    .isEqualTo("Initialisation did not finish within 2 seconds.");
            assertThat(reason(backends, idOf.get("faulty_throw")))
                    .isEqualTo("init exploded on purpose (gave up after 4 attempts)");
            assertThat(reason(backends, idOf.get("faulty_error")))
                    .isEqualTo("StackOverflowError: deliberate overflow (gave up after 4 attempts)");
            assertThat(reason(backends, idOf.get("faulty_leak")))
                    .isEqualTo("leaked a thread and failed (gave up after 4 attempts)");
            assertThat(status(backends, hostile)).isEqualTo("loading");
            assertThat(reason(backends, hostile)).as("the hostile init still runs").isEqualTo("hanging on purpose");

            List<String> log = server.output();
            for (String type : List.of("faulty_throw", "faulty_error", "faulty_leak")) {
                String backend = "backend " + idOf.get(type) + " (" + type + ")";
                for (int attempt = 1; attempt <= 3; attempt++) {
                    String retried = backend + " failed to initialise (attempt " + attempt + "): ";
                    assertThat(log).as(retried).filteredOn(line -> line.contains(retried)).hasSize(1);
                }
                assertThat(log).filteredOn(line -> line.contains(backend + " errored: ")).hasSize(1);
            }
            String hang = "backend " + idOf.get("faulty_hang") + " (faulty_hang)";
            assertThat(log).filteredOn(line -> line.contains(hang + " failed to initialise")).isEmpty();
            assertThat(log).filteredOn(line -> line.endsWith(hang + " errored: Initialisation did not finish within"
                    + " 2 seconds")).hasSize(1);

            everyKindOfRouteAnswers(api);
            assertThat(reason(api.call("ListBackends"), hostile)).as("the hostile init still runs")
                    .isEqualTo("hanging on purpose");

            long stopping = System.nanoTime();
            server.terminate();
            int exitCode = server.awaitExit(Duration.ofSeconds(30));
            Duration shutdown = Duration.ofNanos(System.nanoTime() - stopping);
            System.out.printf("Shutdown with hung inits and leaked non-daemon threads: %d ms%n", shutdown.toMillis());
            assertThat(exitCode).as("exit code; output: %s", server.output()).isZero();
            assertThat(shutdown).isLessThan(Duration.ofSeconds(15));
            assertThat(server.output()).contains("Switchboard stopped");
        }
    }

    /** A backend's whole life through the changing routes, and the reading ones, each answered without error. */
    private static void everyKindOfRouteAnswers(SwarmApiClient api) {
        String id = add(api, "comfyui_api");
        List<JsonObject> answers = List.of(
                api.call("EditBackend", "{\"backend_id\":" + id + ",\"title\":\"meanwhile\",\"settings\":{}}"),
                api.call("ToggleBackend", "{\"backend_id\":" + id + ",\"enabled\":false}"),
                api.call("ListBackendTypes"), api.call("ListPlugins"),
                api.call("RestartBackends", "{\"backend\":\"" + id + "\"}"),
                api.call("FreeBackendMemory"), api.call("DeleteBackend", "{\"backend_id\":" + id + "}"));
        assertThat(answers).noneMatch(answer -> answer.has("error"));
        assertThat(answers.get(answers.size() - 1).get("result").getAsString()).isEqualTo("Deleted.");
    }

    private static String add(SwarmApiClient api, String type) {
        JsonObject added = api.call("AddNewBackend", "{\"type_id\":\"" + type + "\"}");
        assertThat(added.has("error")).as(added.toString()).isFalse();
        return Integer.toString(added.get("id").getAsInt());
    }

    @Test
    void sigtermDuringAnInitThatHangsForeverStillExits0Quickly() {
        try (SwitchboardProcess server = start(pluginsWithFaultyTypes())) {
            SwarmApiClient api = new SwarmApiClient(server.awaitReady(START));
            String id = Integer.toString(api.call("AddNewBackend", "{\"type_id\":\"faulty_hang_long\"}").get("id")
                    .getAsInt());
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(api.call("ListBackends")
                    .getAsJsonObject(id).get("status_message").getAsString()).isEqualTo("hanging on purpose"));
            assertThat(api.call("ListBackends").getAsJsonObject(id).get("status").getAsString()).isEqualTo("loading");
            long stopping = System.nanoTime();
            server.terminate();
            int exitCode = server.awaitExit(Duration.ofSeconds(30));
            Duration shutdown = Duration.ofNanos(System.nanoTime() - stopping);
            System.out.printf("Shutdown during a hung init: %d ms%n", shutdown.toMillis());
            assertThat(exitCode).as("exit code; output: %s", server.output()).isZero();
            assertThat(shutdown).isLessThan(Duration.ofSeconds(15));
            assertThat(server.output()).contains("Switchboard stopped");
        }
    }

    private SwitchboardProcess start(Path plugins) {
        return ShippedDistribution.start(folder, List.of("--port", "0", "--data-dir", folder.resolve("data").toString(),
                "--plugins-dir", plugins.toString()));
    }

    private Path pluginsWithFaultyTypes() {
        Path plugins = TestPlugins.copyShipped(folder);
        PluginJarBuilder faulty = new PluginJarBuilder("faulty").version("1.0.0").requires(">=1.0.0 & <2.0.0")
                .provider("tests");
        String hang = """
                while (true) {
                    try { Thread.sleep(60_000); } catch (InterruptedException ignored) { }
                }""";
        faulty.source("test.faulty.HangingType", type("HangingType", "faulty_hang", 2, hang));
        // A deadline far beyond the test, so the server is stopped while the init still runs.
        faulty.source("test.faulty.LongHangingType", type("LongHangingType", "faulty_hang_long", 600,
                "context.setStatus(dev.switchboard.api.BackendStatus.LOADING, \"hanging on purpose\");\n" + hang));
        faulty.source("test.faulty.ThrowingType", type("ThrowingType", "faulty_throw", 2,
                "throw new IllegalStateException(\"init exploded on purpose\");"));
        faulty.source("test.faulty.ErrorType", type("ErrorType", "faulty_error", 2,
                "throw new StackOverflowError(\"deliberate overflow\");"));
        faulty.source("test.faulty.LeakingType", type("LeakingType", "faulty_leak", 2, """
                Thread leaked = new Thread(() -> {
                    while (true) {
                        try { Thread.sleep(60_000); } catch (InterruptedException ignored) { }
                    }
                }, "leaked-by-plugin");
                leaked.setDaemon(false);
                leaked.start();
                throw new IllegalStateException("leaked a thread and failed");"""));
        faulty.build(plugins);
        return plugins;
    }

    private static String reason(JsonObject backends, String id) {
        return backends.getAsJsonObject(id).get("status_message").getAsString();
    }

    private static String status(JsonObject backends, String id) {
        return backends.getAsJsonObject(id).get("status").getAsString();
    }

    private static String type(String className, String id, int initTimeoutSeconds, String initBody) {
        return """
                package test.faulty;

                import dev.switchboard.api.Backend;
                import dev.switchboard.api.BackendContext;
                import dev.switchboard.api.BackendType;
                import dev.switchboard.api.settings.SettingsSchema;
                import java.time.Duration;
                import org.pf4j.Extension;

                @Extension
                public class %s implements BackendType {
                    public String id() { return "%s"; }
                    public String displayName() { return "%s"; }
                    public String description() { return "Misbehaves on purpose."; }
                    public Duration initTimeout() { return Duration.ofSeconds(%d); }
                    public SettingsSchema settingsSchema() { return SettingsSchema.of(); }
                    public Backend create(BackendContext context) {
                        return new Backend() {
                            public void init() throws Exception {
                                %s
                            }
                            public void shutdown() { }
                        };
                    }
                }
                """.formatted(className, id, id, initTimeoutSeconds, initBody);
    }
}
