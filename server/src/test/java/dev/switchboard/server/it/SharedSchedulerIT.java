package dev.switchboard.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.gson.JsonObject;
import dev.switchboard.testkit.plugins.PluginJarBuilder;
import dev.switchboard.testkit.server.SwarmApiClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The shared scheduler behind {@code BackendContext.scheduler()} against a packaged hostile plugin, in a real
 * server: backends whose scheduled task blocks forever (ignoring interrupts) and whose periodic task throws, more of
 * them than the machine has cores, do not stall another backend's periodic task; deleting them stops only theirs;
 * and once every backend is deleted no scheduler thread is left.
 */
final class SharedSchedulerIT {
    private static final Duration PERIOD = Duration.ofMillis(200);
    /** Generous: the promise is one period; this only keeps a loaded build machine from failing the test. */
    private static final Duration BOUND = PERIOD.multipliedBy(20);
    private static final Pattern SCHEDULER_THREAD = Pattern.compile("backend-(scheduler-.*|-?\\d+-scheduler)");

    @TempDir
    Path temp;
    TestServer server;
    SwarmApiClient api;
    Path release;
    final ListAppender<ILoggingEvent> log = new ListAppender<>();
    final Logger backends = (Logger) LoggerFactory.getLogger("backend.sched_hostile");

    @BeforeEach
    void start() throws Exception {
        Path plugins = TestPlugins.copyShipped(temp);
        new PluginJarBuilder("sched").version("1.0.0").requires(">=1.0.0 & <2.0.0").provider("tests")
                .source("test.sched.TickerType", TICKER.replace("PERIOD_MILLIS", Long.toString(PERIOD.toMillis())))
                .source("test.sched.HostileType", HOSTILE)
                .build(plugins);
        release = temp.resolve("release");
        log.start();
        backends.addAppender(log);
        server = TestServer.start(temp.resolve("data"), plugins, false);
        api = server.client();
    }

    @AfterEach
    void stop() throws Exception {
        // Lets the hostile tasks end, whatever the test did.
        Files.writeString(release, "");
        server.close();
        backends.detachAppender(log);
    }

    @Test
    void hostileTasksDoNotDelayAnotherBackendsProbeAndNoSchedulerThreadOutlivesTheBackends() throws Exception {
        int ticker = api.call("AddNewBackend", "{\"type_id\":\"sched_ticker\"}").get("id").getAsInt();
        await().atMost(BOUND.multipliedBy(3)).until(() -> ticks(ticker) > 0);

        // More hostile backends than cores: each holds a worker for good and throws from a periodic task.
        int hostileCount = Runtime.getRuntime().availableProcessors() + 2;
        List<Integer> hostile = new ArrayList<>();
        for (int i = 0; i < hostileCount; i++) {
            int id = api.call("AddNewBackend", "{\"type_id\":\"sched_hostile\"}").get("id").getAsInt();
            api.call("EditBackend", "{\"backend_id\":" + id + ",\"title\":\"\",\"settings\":{\"Release\":\""
                    + release.toString().replace("\\", "\\\\") + "\"}}");
            hostile.add(id);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonObject all = api.call("ListBackends");
            for (int id : hostile) {
                assertThat(all.getAsJsonObject(Integer.toString(id)).get("status_message").getAsString())
                        .as("backend %d", id).isEqualTo("Blocking its scheduler for good.");
            }
        });
        await().atMost(BOUND).untilAsserted(() -> assertThat(log.list).filteredOn(event -> event.getFormattedMessage()
                .matches("A periodic task on backend-\\d+-scheduler failed and will not run again")
                && event.getThrowableProxy() != null
                && "hostile periodic task".equals(event.getThrowableProxy().getMessage())).hasSize(hostileCount));

        // While every hostile task blocks, the ticker's periodic task keeps its pace: each tick within the bound.
        for (int tick = 0; tick < 5; tick++) {
            int before = ticks(ticker);
            await().atMost(BOUND).until(() -> ticks(ticker) > before);
        }
        // Deleting the hostile backends cancels and interrupts only their tasks (which ignore it and block on).
        for (int id : hostile) {
            assertThat(api.call("DeleteBackend", "{\"backend_id\":" + id + "}").get("result").getAsString())
                    .isEqualTo("Deleted.");
        }
        for (int tick = 0; tick < 3; tick++) {
            int before = ticks(ticker);
            await().atMost(BOUND).until(() -> ticks(ticker) > before);
        }
        assertThat(schedulerThreads()).as("the hostile tasks still block").isNotEmpty();

        Files.writeString(release, "");
        assertThat(api.call("DeleteBackend", "{\"backend_id\":" + ticker + "}").get("result").getAsString())
                .isEqualTo("Deleted.");
        // Idle threads end after the pool's keep-alive (5 s), the timer's once nothing is scheduled.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(schedulerThreads()).isEmpty());
    }

    private int ticks(int id) {
        String message = api.call("ListBackends").getAsJsonObject(Integer.toString(id)).get("status_message")
                .getAsString();
        return message.startsWith("tick ") ? Integer.parseInt(message.substring(5)) : 0;
    }

    private static List<String> schedulerThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(name -> SCHEDULER_THREAD.matcher(name).matches()).toList();
    }

    static final String TICKER = """
            package test.sched;

            import dev.switchboard.api.Backend;
            import dev.switchboard.api.BackendContext;
            import dev.switchboard.api.BackendType;
            import dev.switchboard.api.settings.SettingsSchema;
            import java.util.concurrent.TimeUnit;
            import java.util.concurrent.atomic.AtomicInteger;
            import org.pf4j.Extension;

            @Extension
            public class TickerType implements BackendType {
                public String id() { return "sched_ticker"; }
                public String displayName() { return "Ticker"; }
                public String description() { return "Counts its periodic task's runs in its status message."; }
                public SettingsSchema settingsSchema() { return SettingsSchema.of(); }
                public Backend create(BackendContext context) {
                    AtomicInteger ticks = new AtomicInteger();
                    return new Backend() {
                        public void init() {
                            context.scheduler().scheduleAtFixedRate(
                                () -> context.setStatusMessage("tick " + ticks.incrementAndGet()),
                                PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
                        }
                        public void shutdown() { }
                    };
                }
            }
            """;

    static final String HOSTILE = """
            package test.sched;

            import dev.switchboard.api.Backend;
            import dev.switchboard.api.BackendContext;
            import dev.switchboard.api.BackendStatus;
            import dev.switchboard.api.BackendType;
            import dev.switchboard.api.settings.SettingDefinition;
            import dev.switchboard.api.settings.SettingType;
            import dev.switchboard.api.settings.SettingsSchema;
            import java.nio.file.Files;
            import java.nio.file.Path;
            import java.util.concurrent.CountDownLatch;
            import java.util.concurrent.TimeUnit;
            import org.pf4j.Extension;

            @Extension
            public class HostileType implements BackendType {
                public String id() { return "sched_hostile"; }
                public String displayName() { return "Hostile"; }
                public String description() { return "Blocks its scheduler for good and throws from a periodic task."; }
                public SettingsSchema settingsSchema() {
                    return SettingsSchema.of(SettingDefinition.builder("Release", SettingType.TEXT).build());
                }
                public Backend create(BackendContext context) {
                    return new Backend() {
                        public void init() throws Exception {
                            String release = context.settings().getString("Release");
                            if (release.isEmpty()) {
                                context.setStatus(BackendStatus.DISABLED, "No release file.");
                                return;
                            }
                            context.scheduler().scheduleAtFixedRate(() -> {
                                throw new IllegalStateException("hostile periodic task");
                            }, 0, 1, TimeUnit.MILLISECONDS);
                            CountDownLatch blocking = new CountDownLatch(1);
                            context.scheduler().schedule(() -> {
                                blocking.countDown();
                                // Ignores interrupts; only the test's release file (at its end) lets it go.
                                while (!Files.exists(Path.of(release))) {
                                    try {
                                        Thread.sleep(20);
                                    } catch (InterruptedException ignored) {
                                    }
                                }
                            }, 5, TimeUnit.MILLISECONDS);
                            blocking.await();
                            context.setStatus(BackendStatus.RUNNING, "Blocking its scheduler for good.");
                        }
                        public void shutdown() { }
                    };
                }
            }
            """;
}
