package dev.switchboard.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import dev.switchboard.api.BackendStatus;
import dev.switchboard.testkit.plugins.PluginJarBuilder;
import dev.switchboard.testkit.server.SwarmApiClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.hawkular.agent.prometheus.types.Histogram;
import org.hawkular.agent.prometheus.types.MetricType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} on a real server after real traffic over real sockets, parsed by a Prometheus text-format
 * parser, every value checked against what the test did: requests by route and outcome (never a client's route
 * name), store writes and their fsync time, backends by type and status, init attempts and failures, plugin load
 * failures, jobs by backend type and outcome with their duration, and the JVM's and process's metrics.
 */
final class MetricsIT {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String REQUESTS = "switchboard_http_requests_seconds";

    @TempDir
    Path temp;
    private SwarmApiClient api;
    /** ListBackends calls the test made, its polling included. */
    private final AtomicInteger listCalls = new AtomicInteger();

    @Test
    void aScrapeAfterRealTrafficShowsWhatHappened() throws Exception {
        Path plugins = TestPlugins.withFake(temp);
        copy(Path.of(System.getProperty("switchboard.test.example.plugins")).resolve("example-echo"),
                plugins.resolve("example-echo"));
        new PluginJarBuilder("broken").version("1.0.0").requires(">=1.0.0 & <2.0.0").provider("tests")
                .source("test.broken.NoTypes", "package test.broken; public class NoTypes { }")
                .build(plugins);
        try (TestServer server = TestServer.start(temp.resolve("data"), plugins, false)) {
            api = server.client();
            PrometheusScrape before = scrape(server);

            api.session();
            list();
            list();
            String session = "{\"session_id\":\"" + api.session() + "\"}";
            assertThat(api.postRaw("NoSuchRoute", session).status()).isEqualTo(400);
            assertThat(api.postRaw("ListBackends", "{\"session_id\":\"0123456789abcdef0123456789abcdef\"}").status())
                    .isEqualTo(401);
            int echo = api.call("AddNewBackend", "{\"type_id\":\"example_echo\"}").get("id").getAsInt();
            assertThat(api.call("EditBackend", "{\"backend_id\":" + echo + ",\"title\":\"echo\",\"settings\":"
                    + "{\"StepMillis\":1}}").has("error")).isFalse();
            int failing = api.call("AddNewBackend", "{\"type_id\":\"fake_failing\"}").get("id").getAsInt();
            await().atMost(PATIENCE).until(() -> status(echo).equals("running"));
            // Its init throws: tried four times (retries after 1, 2 and 4 s), then errored.
            await().atMost(PATIENCE).until(() -> status(failing).equals("errored"));
            JsonObject images = api.call("GenerateText2Image", "{\"images\":2,\"prompt\":\"a fox\",\"model\":"
                    + "\"echo/gradient\",\"width\":64,\"height\":64,\"steps\":2}");
            assertThat(images.getAsJsonArray("images")).hasSize(2);
            JsonObject refused = api.call("GenerateText2Image", "{\"images\":1,\"prompt\":\"a fox\",\"model\":"
                    + "\"echo/gradient\",\"internalbackendtype\":\"fake_failing\"}");
            assertThat(refused.get("error").getAsString()).startsWith("No backends match");

            // A request is counted once its answer is out, a job once it has moved: a moment after the client has
            // its answer, so the scrape is repeated until it shows everything.
            await().atMost(PATIENCE).untilAsserted(() -> assertShows(before, scrape(server)));
        }
    }

    private void assertShows(PrometheusScrape before, PrometheusScrape after) {
        // Requests: registered route names and fixed words only.
        assertThat(after.type(REQUESTS)).isEqualTo(MetricType.HISTOGRAM);
        assertThat(delta(before, after, "GetNewSession", "ok")).isEqualTo(1);
        assertThat(delta(before, after, "ListBackends", "ok")).isEqualTo(listCalls.get());
        assertThat(delta(before, after, "ListBackends", "invalid_session_id")).isEqualTo(1);
        assertThat(delta(before, after, "unknown", "bad_route")).isEqualTo(1);
        assertThat(delta(before, after, "AddNewBackend", "ok")).isEqualTo(2);
        assertThat(delta(before, after, "EditBackend", "ok")).isEqualTo(1);
        assertThat(delta(before, after, "GenerateText2Image", "ok")).isEqualTo(1);
        assertThat(delta(before, after, "GenerateText2Image", "error")).isEqualTo(1);
        assertThat(after.labelValues()).doesNotContain("NoSuchRoute", "nosuchroute");
        Histogram generate = after.histogram(REQUESTS, "route", "GenerateText2Image", "outcome", "ok").orElseThrow();
        assertThat(generate.getSampleSum()).isPositive();
        assertConsistent(generate);

        // The store: three durable writes (two adds, one edit), each forced to disk.
        assertThat(after.value("switchboard_store_writes_total", "outcome", "ok")
                - before.value("switchboard_store_writes_total", "outcome", "ok")).isEqualTo(3);
        assertThat(after.value("switchboard_store_changes_total", "outcome", "ok")
                - before.value("switchboard_store_changes_total", "outcome", "ok")).isEqualTo(3);
        assertThat(after.value("switchboard_store_writes_total", "outcome", "failed")).isZero();
        Histogram fsync = after.histogram("switchboard_store_fsync_seconds").orElseThrow();
        assertThat(fsync.getSampleCount() - before.count("switchboard_store_fsync_seconds")).isEqualTo(3);
        assertThat(fsync.getSampleSum()).isPositive();
        assertConsistent(fsync);

        // Backends by type and status, every status of every registered type present.
        for (BackendStatus status : BackendStatus.values()) {
            String name = status.wireName();
            assertThat(after.family("switchboard_backends").orElseThrow().getMetrics())
                    .anyMatch(m -> m.getLabels().equals(java.util.Map.of("type", "comfyui_api", "status", name)));
            assertThat(after.value("switchboard_backends", "type", "example_echo", "status", name))
                    .as(name).isEqualTo(status == BackendStatus.RUNNING ? 1 : 0);
            assertThat(after.value("switchboard_backends", "type", "fake_failing", "status", name))
                    .as(name).isEqualTo(status == BackendStatus.ERRORED ? 1 : 0);
        }

        // Inits: four attempts of the failing type, each a failure; the echo backend never failed.
        assertThat(after.value("switchboard_backend_init_attempts_total", "type", "fake_failing")).isEqualTo(4);
        assertThat(after.value("switchboard_backend_init_failures_total", "type", "fake_failing",
                "reason", "error")).isEqualTo(4);
        assertThat(after.value("switchboard_backend_init_failures_total", "type", "fake_failing",
                "reason", "timeout")).isZero();
        assertThat(after.value("switchboard_backend_init_attempts_total", "type", "example_echo")).isPositive();
        assertThat(after.value("switchboard_backend_init_failures_total", "type", "example_echo",
                "reason", "error")).isZero();

        // Plugins: the one without backend types was refused.
        assertThat(after.value("switchboard_plugin_load_failures")).isEqualTo(1);
        assertThat(after.value("switchboard_plugins", "state", "failed")).isEqualTo(1);
        assertThat(after.value("switchboard_plugins", "state", "started")).isEqualTo(4);

        // Jobs: two ran on the echo backend, one found no backend.
        assertThat(after.value("switchboard_jobs_submitted_total")
                - before.value("switchboard_jobs_submitted_total")).isEqualTo(3);
        assertThat(after.value("switchboard_jobs_finished_total", "type", "example_echo", "outcome", "completed"))
                .isEqualTo(2);
        assertThat(after.value("switchboard_jobs_finished_total", "type", "none", "outcome", "failed"))
                .isEqualTo(1);
        assertThat(after.value("switchboard_jobs_finished_total", "type", "example_echo", "outcome", "failed"))
                .isZero();
        assertThat(after.count("switchboard_job_duration_seconds", "type", "example_echo", "outcome",
                "completed")).isEqualTo(2);
        assertConsistent(after.histogram("switchboard_job_duration_seconds", "type", "example_echo", "outcome",
                "completed").orElseThrow());
        assertThat(after.value("switchboard_jobs_running", "type", "example_echo")).isZero();
        assertThat(after.value("switchboard_jobs_queued")).isZero();

        // The JVM and the process.
        assertThat(after.family("jvm_memory_used_bytes").orElseThrow().getMetrics()).isNotEmpty();
        assertThat(after.value("jvm_threads_live_threads")).isPositive();
        assertThat(after.value("process_uptime_seconds")).isPositive();
        assertThat(after.family("jvm_gc_memory_allocated_bytes_total")).isPresent();
        assertThat(after.family("process_cpu_usage")).isPresent();
    }

    private void list() {
        listCalls.incrementAndGet();
        api.call("ListBackends");
    }

    private String status(int id) {
        listCalls.incrementAndGet();
        return api.call("ListBackends").getAsJsonObject(Integer.toString(id)).get("status").getAsString();
    }

    private static long delta(PrometheusScrape before, PrometheusScrape after, String route, String outcome) {
        return after.count(REQUESTS, "route", route, "outcome", outcome)
                - before.count(REQUESTS, "route", route, "outcome", outcome);
    }

    /** Cumulative buckets that never decrease and end at +Inf with the count. */
    private static void assertConsistent(Histogram histogram) {
        long previous = 0;
        for (Histogram.Bucket bucket : histogram.getBuckets()) {
            assertThat(bucket.getCumulativeCount()).isGreaterThanOrEqualTo(previous);
            previous = bucket.getCumulativeCount();
        }
        Histogram.Bucket last = histogram.getBuckets().get(histogram.getBuckets().size() - 1);
        assertThat(last.getUpperBound()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(last.getCumulativeCount()).isEqualTo(histogram.getSampleCount());
    }

    private static PrometheusScrape scrape(TestServer server) {
        SwarmApiClient.Response response = server.client().send(HttpRequest.newBuilder(
                URI.create(server.url() + "/metrics")).GET());
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).contains("text/plain; version=0.0.4; charset=utf-8");
        return PrometheusScrape.parse(response.body());
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }
}
