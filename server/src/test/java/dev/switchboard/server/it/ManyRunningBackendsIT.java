package dev.switchboard.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.switchboard.testkit.comfyui.ComfyUiStandIn;
import dev.switchboard.testkit.contract.StandInThreads;
import dev.switchboard.testkit.server.SwarmApiClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * 2,000 running {@code comfyui_api} backends (the shipped plugin, health probe every 5 s) against four ComfyUI
 * stand-ins, in a real server in this JVM: the server's threads stay bounded (fewer than 64 plus the cores above
 * the count before it started) instead of growing with the backends, as they did with a scheduler thread each, and
 * so do they at their peak while the 2,000 start together (the init lane's bound; unbounded, 682 were seen).
 */
final class ManyRunningBackendsIT {
    private static final int BACKENDS = 2000;
    private static final int STAND_INS = 4;
    private static final int CORES = Runtime.getRuntime().availableProcessors();
    /** Two health-probe periods of comfyui_api, plus one. */
    private static final Duration STEADY = Duration.ofSeconds(15);

    @TempDir
    Path temp;
    final List<ComfyUiStandIn> standIns = new ArrayList<>();
    TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        standIns.forEach(ComfyUiStandIn::close);
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void twoThousandRunningBackendsCostABoundedNumberOfThreads() throws Exception {
        for (int i = 0; i < STAND_INS; i++) {
            standIns.add(ComfyUiStandIn.start());
        }
        Path data = Files.createDirectories(temp.resolve("data"));
        writeBackends(data);
        int before = serverThreads();
        int bound = before + 64 + CORES;
        AtomicInteger peak = new AtomicInteger();
        AtomicBoolean starting = new AtomicBoolean(true);
        // Samples the threads every few milliseconds while the backends start (a poll every second would miss
        // the burst).
        Thread sampler = new Thread(() -> {
            while (starting.get()) {
                peak.accumulateAndGet(serverThreads(), Math::max);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
        }, "thread-count-sampler");
        sampler.setDaemon(true);
        sampler.start();
        long started = System.nanoTime();
        server = TestServer.start(data);
        SwarmApiClient api = server.client();

        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(1))
                .until(() -> running(api) == BACKENDS);
        long allRunningMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        starting.set(false);
        sampler.join();
        int atAllRunning = serverThreads();
        // The sampler itself is one of the threads it counted.
        assertThat(peak.get() - 1).as("the most threads while %d backends started", BACKENDS).isLessThan(bound);
        // The init lane's threads (at most its bound) end 5 s after the burst; then only the steady cost.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(serverThreads()).isLessThan(bound));
        AtomicInteger most = new AtomicInteger();
        await().during(STEADY).atMost(STEADY.plusSeconds(10)).until(() -> {
            int now = serverThreads();
            most.accumulateAndGet(now, Math::max);
            return now < bound;
        });
        System.out.printf("%d running comfyui_api backends after %d ms; threads (stand-ins' excluded): %d before the"
                        + " server, at most %d while they started, %d when all were running, at most %d over %d s of"
                        + " health probes (bound %d)%n",
                BACKENDS, allRunningMillis, before, peak.get() - 1, atAllRunning, most.get(), STEADY.toSeconds(),
                bound);
        assertThat(running(api)).as("still running after the probes").isEqualTo(BACKENDS);
    }

    private static int running(SwarmApiClient api) {
        int count = 0;
        for (Map.Entry<String, JsonElement> backend : api.call("ListBackends").entrySet()) {
            if ("running".equals(backend.getValue().getAsJsonObject().get("status").getAsString())) {
                count++;
            }
        }
        return count;
    }

    /** The JVM's live threads, without the stand-ins' (they serve the probes; they are not the server's cost). */
    private static int serverThreads() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        // Enumerated without their stacks, so sampling every few milliseconds stays cheap.
        Thread[] threads = new Thread[root.activeCount() * 2 + 64];
        int found = root.enumerate(threads, true);
        int count = 0;
        for (Thread thread : Arrays.copyOf(threads, found)) {
            if (thread.isAlive() && !thread.getName().startsWith("comfyui-stand-in-") && !StandInThreads.owns(thread)) {
                count++;
            }
        }
        return count;
    }

    private void writeBackends(Path data) throws Exception {
        JsonObject file = new JsonObject();
        file.addProperty("schema_version", 1);
        file.addProperty("next_id", BACKENDS);
        var list = new com.google.gson.JsonArray();
        for (int i = 0; i < BACKENDS; i++) {
            JsonObject backend = new JsonObject();
            backend.addProperty("id", i);
            backend.addProperty("type", "comfyui_api");
            backend.addProperty("title", "GPU " + i);
            backend.addProperty("enabled", true);
            JsonObject settings = new JsonObject();
            settings.addProperty("Address", standIns.get(i % STAND_INS).baseUrl());
            backend.add("settings", settings);
            list.add(backend);
        }
        file.add("backends", list);
        Files.writeString(data.resolve("backends.json"), file.toString());
    }
}
