package dev.switchboard.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.switchboard.server.bootstrap.ServerOptions;
import dev.switchboard.server.bootstrap.StartupException;
import dev.switchboard.server.bootstrap.SwitchboardServer;
import dev.switchboard.testkit.plugins.PluginJarBuilder;
import dev.switchboard.testkit.server.SwarmApiClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /healthz} and {@code /readyz} on a real server over real sockets: 503 with the reason while a slow plugin
 * loads (the listener is bound before the plugins), then 200 once the server is ready; 503 for as long as the
 * backends file cannot be read, while the rest of the server works.
 */
final class ReadinessIT {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    /** A backend type whose construction waits until the test opens the gate (a file). */
    private static final String SLOW_TYPE = """
            package test.slow;

            import dev.switchboard.api.Backend;
            import dev.switchboard.api.BackendContext;
            import dev.switchboard.api.BackendType;
            import dev.switchboard.api.settings.SettingsSchema;
            import java.nio.file.Files;
            import java.nio.file.Path;
            import org.pf4j.Extension;

            @Extension
            public class SlowType implements BackendType {
                public SlowType() throws InterruptedException {
                    while (!Files.exists(Path.of("%s"))) {
                        Thread.sleep(10);
                    }
                }
                public String id() { return "slow_type"; }
                public String displayName() { return "Slow"; }
                public String description() { return "Loads only when the test lets it."; }
                public SettingsSchema settingsSchema() { return SettingsSchema.of(); }
                public Backend create(BackendContext context) { throw new UnsupportedOperationException(); }
            }
            """;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path temp;

    @Test
    void readyzAnswers503WhileASlowPluginLoadsThen200() throws Exception {
        Path plugins = Files.createDirectories(temp.resolve("plugins"));
        Path gate = temp.resolve("gate");
        new PluginJarBuilder("slow").version("1.0.0").requires(">=1.0.0 & <2.0.0").provider("tests")
                .source("test.slow.SlowType", SLOW_TYPE.formatted(gate.toString().replace("\\", "\\\\")))
                .build(plugins);
        int port = freePort();
        ServerOptions options = new ServerOptions("127.0.0.1", port, temp.resolve("data"), plugins, false, 1 << 20,
                Duration.ofMinutes(10));
        CompletableFuture<SwitchboardServer> starting = CompletableFuture.supplyAsync(() -> start(options));
        try {
            // The plugin host gives a plugin 5 s to load: the gate opens as soon as the 503 is seen.
            HttpResponse<String> loading = await().atMost(PATIENCE).ignoreExceptions()
                    .until(() -> get(port, "/readyz"), response -> response.statusCode() == 503
                            && response.body().contains("loading plugins"));
            JsonObject notReady = JsonParser.parseString(loading.body()).getAsJsonObject();
            assertThat(notReady.get("status").getAsString()).isEqualTo("starting");
            assertThat(notReady.get("reason").getAsString()).isEqualTo("loading plugins");
            assertThat(notReady.getAsJsonObject("checks").toString())
                    .isEqualTo("{\"store\":\"ok\",\"plugins\":\"pending\",\"http\":\"pending\"}");
            assertThat(loading.headers().firstValue("Content-Type")).contains("application/json");
            HttpResponse<String> health = get(port, "/healthz");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("{\"status\":\"ok\"}");
            HttpResponse<String> api = http.send(HttpRequest.newBuilder(uri(port, "/API/GetNewSession"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(api.statusCode()).isEqualTo(503);
            assertThat(api.body()).startsWith("{\"error_id\":\"starting\"");
            assertThat(starting).isNotDone();

            Files.createFile(gate);
            SwitchboardServer server = starting.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);

            HttpResponse<String> ready = get(port, "/readyz");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).isEqualTo("{\"status\":\"ready\",\"checks\":{\"store\":\"ok\",\"plugins\":\"ok\","
                    + "\"http\":\"ok\"}}");
            JsonObject slow = new SwarmApiClient(server.url()).call("ListPlugins").getAsJsonArray("plugins").get(0)
                    .getAsJsonObject();
            assertThat(slow.get("id").getAsString()).isEqualTo("slow");
            assertThat(slow.get("state").getAsString()).as("loaded within its deadline: %s", slow).isEqualTo("started");
        } finally {
            if (!Files.exists(gate)) {
                Files.createFile(gate);
            }
            starting.handle((server, error) -> {
                if (server != null) {
                    server.close();
                }
                return null;
            }).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        }
    }

    @Test
    void readyzAnswers503WhileTheBackendsFileCannotBeRead() throws Exception {
        Path data = Files.createDirectories(temp.resolve("data"));
        Files.writeString(data.resolve("backends.json"), "{\"backends\": [ this is not JSON");
        Path plugins = Files.createDirectories(temp.resolve("plugins"));
        try (TestServer server = TestServer.start(data, plugins, false)) {
            int port = URI.create(server.url()).getPort();
            HttpResponse<String> ready = get(port, "/readyz");
            assertThat(ready.statusCode()).isEqualTo(503);
            JsonObject body = JsonParser.parseString(ready.body()).getAsJsonObject();
            assertThat(body.get("status").getAsString()).isEqualTo("not_ready");
            assertThat(body.get("reason").getAsString()).startsWith("backends.json could not be read");
            assertThat(body.getAsJsonObject("checks").toString())
                    .isEqualTo("{\"store\":\"failed\",\"plugins\":\"ok\",\"http\":\"ok\"}");
            assertThat(ready.body()).as("no path in the answer").doesNotContain(temp.toString());
            assertThat(get(port, "/healthz").statusCode()).isEqualTo(200);
            assertThat(server.client().call("ListBackends").has("error")).as("the API still answers").isFalse();
            assertThat(get(port, "/readyz").statusCode()).as("and stays unready").isEqualTo(503);
        }
    }

    private static SwitchboardServer start(ServerOptions options) {
        try {
            return SwitchboardServer.start(options);
        } catch (StartupException e) {
            throw new CompletionException(e);
        }
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(port, path)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
