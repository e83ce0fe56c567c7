package dev.switchboard.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.switchboard.testkit.comfyui.ComfyUiStandIn;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One full run of the assembled distribution's bin/switchboard, from an unrelated working directory. */
final class DistributionIT {
    private static final Pattern READY = Pattern.compile("Switchboard listening on (http://\\S+)");
    private static final Path HOME = Path.of(System.getProperty("switchboard.distribution"));
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path workingDirectory;

    @Test
    void theDistributionServesTheApiWithItsComfyUiPluginAndStopsCleanly() throws Exception {
        assertThat(HOME.resolve("bin/switchboard")).isExecutable();
        assertThat(HOME.resolve("plugins/comfyui/plugin.properties")).exists();
        try (ComfyUiStandIn comfy = ComfyUiStandIn.start()) {
            Process process = new ProcessBuilder(HOME.resolve("bin/switchboard").toString(), "--port", "0")
                    .directory(workingDirectory.toFile()).redirectErrorStream(true).start();
            List<String> output = new CopyOnWriteArrayList<>();
            CompletableFuture<String> ready = new CompletableFuture<>();
            Thread reader = new Thread(() -> read(process, output, ready));
            reader.setDaemon(true);
            reader.start();
            try {
                String url = ready.get(60, TimeUnit.SECONDS);
                assertThat(output).contains("Data directory: " + workingDirectory.toRealPath().resolve("data"));

                String session = post(url, "GetNewSession", "{}").get("session_id").getAsString();
                assertThat(post(url, "ListBackendTypes", "{\"session_id\":\"" + session + "\"}").toString())
                        .contains("\"comfyui_api\"");
                assertThat(post(url, "ListPlugins", "{\"session_id\":\"" + session + "\"}").toString())
                        .contains("\"state\":\"started\"");
                post(url, "AddNewBackend", "{\"session_id\":\"" + session + "\",\"type_id\":\"comfyui_api\"}");
                post(url, "EditBackend", "{\"session_id\":\"" + session + "\",\"backend_id\":0,\"title\":\"dist\","
                        + "\"settings\":{\"Address\":\"" + comfy.baseUrl() + "\"}}");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                String status = "";
                while (System.nanoTime() < deadline && !status.equals("running")) {
                    status = post(url, "ListBackends", "{\"session_id\":\"" + session + "\"}")
                            .getAsJsonObject("0").get("status").getAsString();
                    Thread.sleep(100);
                }
                assertThat(status).isEqualTo("running");
                assertThat(workingDirectory.resolve("data/backends.json")).exists();

                process.toHandle().destroy(); // Process.destroy() would also close our end of its output
                assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(process.exitValue()).as(String.join("\n", output)).isZero();
                assertThat(output).filteredOn(line -> line.startsWith("Switchboard listening on")).hasSize(1);
            } finally {
                process.destroyForcibly();
            }
        }
    }

    @Test
    void helpAndUnknownFlags() throws Exception {
        Run help = run("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.output()).contains("--host", "--port", "--data-dir", "--plugins-dir", "--lock-settings");
        Run unknown = run("--no-such-flag");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.output()).contains("Unknown option: '--no-such-flag'");
    }

    @Test
    void theArchiveHoldsTheSameLayout() throws Exception {
        Path archive = Path.of(System.getProperty("switchboard.archive"));
        assertThat(archive).exists();
        Process tar = new ProcessBuilder("tar", "-tzvf", archive.toString()).redirectErrorStream(true).start();
        String listing = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(tar.waitFor()).isZero();
        assertThat(listing).contains("switchboard/bin/switchboard", "switchboard/plugins/comfyui/plugin.properties",
                "switchboard/lib/switchboard-server-");
        assertThat(listing.lines().filter(line -> line.endsWith("switchboard/bin/switchboard")).findFirst().orElseThrow())
                .startsWith("-rwxr-xr-x");
    }

    private Run run(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(HOME.resolve("bin/switchboard").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(workingDirectory.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), output);
    }

    private JsonObject post(String url, String route, String body) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url + "/API/" + route))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonObject json = JsonParser.parseString(response.body()).getAsJsonObject();
        assertThat(json.has("error")).as(response.body()).isFalse();
        return json;
    }

    private static void read(Process process, List<String> output, CompletableFuture<String> ready) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                output.add(line);
                Matcher matcher = READY.matcher(line);
                if (matcher.matches()) {
                    ready.complete(matcher.group(1));
                }
            }
        } catch (IOException e) {
            ready.completeExceptionally(e);
        }
        ready.completeExceptionally(new IllegalStateException("no ready line; output: " + output));
    }

    private record Run(int exitCode, String output) {
    }
}
