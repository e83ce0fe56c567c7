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
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plugin fault isolation (R4) on the real entry point, with a packaged plugin whose backends misbehave: an init
 * that hangs forever ignoring interrupts, one that throws, one that throws an {@code Error}, and one that leaks
 * a non-daemon thread that never ends. Each becomes errored with its reason in time, ListBackends stays fast
 * meanwhile, and SIGTERM still ends the server quickly with exit code 0.
 */
final class PluginFaultIsolationIT {
    private static final Duration INIT_TIMEOUT = Duration.ofSeconds(2);
    // Four attempts with 1 + 2 + 4 s between them.
    private static final Duration RETRIES = Duration.ofSeconds(7);

    @TempDir
    Path folder;

    @Test
    void misbehavingBackendsAreErroredInTimeWhileTheServerStaysFastAndStopsCleanly() {
        Path plugins = pluginsWithFaultyTypes();
        try (SwitchboardProcess server = start(plugins)) {
            SwarmApiClient api = new SwarmApiClient(server.awaitReady(Duration.ofSeconds(60)));
            Map<String, Long> addedAt = new LinkedHashMap<>();
            Map<String, String> idOf = new LinkedHashMap<>();
            for (String type : List.of("faulty_hang", "faulty_throw", "faulty_error", "faulty_leak")) {
                JsonObject added = api.call("AddNewBackend", "{\"type_id\":\"" + type + "\"}");
                addedAt.put(type, System.nanoTime());
                idOf.put(type, Integer.toString(added.get("id").getAsInt()));
            }

            Map<String, Long> erroredAt = new LinkedHashMap<>();
            List<Long> latencies = new ArrayList<>();
            long giveUp = System.nanoTime() + Duration.ofSeconds(40).toNanos();
            while ((latencies.size() < 200 || erroredAt.size() < idOf.size()) && System.nanoTime() < giveUp) {
                long before = System.nanoTime();
                JsonObject backends = api.call("ListBackends");
                long after = System.nanoTime();
                latencies.add(after - before);
                idOf.forEach((type, id) -> {
                    if (!erroredAt.containsKey(type)
                            && backends.getAsJsonObject(id).get("status").getAsString().equals("errored")) {
                        erroredAt.put(type, after);
                    }
                });
                sleep(20);
            }
            assertThat(erroredAt).as("every misbehaving backend ends errored").containsOnlyKeys(idOf.keySet());
            idOf.keySet().forEach(type -> System.out.printf("%s errored after %d ms%n", type,
                    elapsed(addedAt, erroredAt, type).toMillis()));
            assertThat(elapsed(addedAt, erroredAt, "faulty_hang")).as("the hang, within its init timeout + 1 s")
                    .isLessThanOrEqualTo(INIT_TIMEOUT.plusSeconds(1));
            for (String type : List.of("faulty_throw", "faulty_error", "faulty_leak")) {
                assertThat(elapsed(addedAt, erroredAt, type)).as(type + ", promptly after the retries")
                        .isLessThan(RETRIES.plusSeconds(4));
            }
            JsonObject backends = api.call("ListBackends");
            assertThat(reason(backends, idOf.get("faulty_hang")))
                    .isEqualTo("Initialisation did not finish within 2 seconds.");
            assertThat(reason(backends, idOf.get("faulty_throw")))
                    .isEqualTo("init exploded on purpose (gave up after 4 attempts)");
            assertThat(reason(backends, idOf.get("faulty_error")))
                    .isEqualTo("StackOverflowError: deliberate overflow (gave up after 4 attempts)");
            assertThat(reason(backends, idOf.get("faulty_leak")))
                    .isEqualTo("leaked a thread and failed (gave up after 4 attempts)");

            Collections.sort(latencies);
            Duration p99 = Duration.ofNanos(latencies.get((int) Math.ceil(latencies.size() * 0.99) - 1));
            System.out.printf("ListBackends while plugins misbehave: %d calls, p99 %d ms, max %d ms%n",
                    latencies.size(), p99.toMillis(), Duration.ofNanos(latencies.get(latencies.size() - 1)).toMillis());
            assertThat(latencies).hasSizeGreaterThanOrEqualTo(200);
            assertThat(p99).as("ListBackends p99").isLessThan(Duration.ofMillis(200));

            long stopping = System.nanoTime();
            server.terminate();
            int exitCode = server.awaitExit(Duration.ofSeconds(30));
            Duration shutdown = Duration.ofNanos(System.nanoTime() - stopping);
            System.out.printf("Shutdown with a hung init and leaked non-daemon threads: %d ms%n", shutdown.toMillis());
            assertThat(exitCode).as("exit code; output: %s", server.output()).isZero();
            assertThat(shutdown).isLessThan(Duration.ofSeconds(15));
            assertThat(server.output()).contains("Switchboard stopped");
        }
    }

    @Test
    void sigtermDuringAnInitThatHangsForeverStillExits0Quickly() {
        try (SwitchboardProcess server = start(pluginsWithFaultyTypes())) {
            SwarmApiClient api = new SwarmApiClient(server.awaitReady(Duration.ofSeconds(60)));
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

    private static Duration elapsed(Map<String, Long> from, Map<String, Long> to, String type) {
        return Duration.ofNanos(to.get(type) - from.get(type));
    }

    private static String reason(JsonObject backends, String id) {
        return backends.getAsJsonObject(id).get("status_message").getAsString();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
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
