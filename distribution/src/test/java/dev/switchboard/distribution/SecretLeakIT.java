package dev.switchboard.distribution;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.server.bootstrap.ServerOptions;
import dev.switchboard.server.bootstrap.SwitchboardServer;
import dev.switchboard.server.it.TestPlugins;
import dev.switchboard.testkit.server.SwarmApiClient;
import dev.switchboard.testkit.server.SwitchboardProcess;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A canary secret, given to the server as its required authorization and to backends as their secret setting,
 * never leaves {@code backends.json} and its backups: not in any answer, not in any other file, and not in the
 * server's output with every Switchboard logger at DEBUG ({@code -Dswitchboard.log.level=DEBUG} in
 * {@code JAVA_OPTS}, which the shipped {@code logback.xml} reads). The DEBUG lines of the code that handles the
 * secret (the plugin's, the backend lifecycle's, the request envelope's) are checked to be there first, so the
 * check of their absence of the secret is not vacuous.
 */
final class SecretLeakIT {
    private static final String CANARY = "Bearer canary-b7e1d2c9";
    private static final Duration START = Duration.ofSeconds(60);

    @TempDir
    Path folder;

    @Test
    void aCanarySecretNeverLeavesTheBackendsFileEvenAtDebug() throws Exception {
        Path plugins = TestPlugins.withFake(folder.resolve("process"));
        SortedSet<String> routes = routeNames(plugins);
        Path data = folder.resolve("data");
        // The secret comes from the environment (so it is not in ps), and the server listens beyond loopback.
        try (SwitchboardProcess server = ShippedDistribution.start(folder, List.of("--host", "0.0.0.0", "--port", "0",
                "--data-dir", data.toString(), "--plugins-dir", plugins.toString()), Map.of(
                "SWITCHBOARD_REQUIRED_AUTHORIZATION", CANARY, "JAVA_OPTS", "-Dswitchboard.log.level=DEBUG"))) {
            URI printed = URI.create(server.awaitReady(START));
            String url = "http://127.0.0.1:" + printed.getPort();
            assertThat(server.process().info().commandLine().orElse("")).doesNotContain("canary");
            SwarmApiClient api = new SwarmApiClient(url, Map.of("Authorization", CANARY));
            List<String> bodies = new ArrayList<>();
            bodies.add(api.call("AddNewBackend", "{\"type_id\":\"fake_parent\"}").toString());
            String withToken = "{\"backend_id\":0,\"title\":\"t\",\"settings\":{\"Token\":\"" + CANARY
                    + "\",\"Children\":1}}";
            bodies.add(api.call("EditBackend", withToken).toString());
            bodies.add(api.call("EditBackend", withToken.replace("\"t\"", "\"t2\"")).toString());
            bodies.add(api.call("EditBackend", "{\"backend_id\":0,\"title\":\"t3\",\"settings\":{\"Token\":"
                    + "\"\\t<secret>\"}}").toString());
            // A backend holding the secret fails: the lifecycle logs the plugin's exception at DEBUG.
            bodies.add(api.call("AddNewBackend", "{\"type_id\":\"fake_failing\"}").toString());
            bodies.add(api.call("EditBackend", "{\"backend_id\":1,\"title\":\"f\",\"settings\":{\"Token\":\"" + CANARY
                    + "\"}}").toString());
            await().atMost(START).untilAsserted(() -> assertThat(api.call("ListBackends").getAsJsonObject("1")
                    .get("status").getAsString()).isEqualTo("errored"));
            // A body the envelope refuses, with the secret inside: its reason is logged at DEBUG.
            bodies.add(api.postRaw("EditBackend", "{\"session_id\":\"" + api.session() + "\",\"backend_id\":0,"
                    + "\"settings\":{\"Token\":\"" + CANARY + "\"},}").body());
            for (String route : routes) {
                bodies.add(api.postRaw(route, "{\"session_id\":\"" + api.session() + "\",\"backend_id\":0,"
                        + "\"type_id\":\"fake_parent\",\"enabled\":true,\"title\":\"t4\",\"settings\":{}}").body());
            }
            bodies.add(new SwarmApiClient(url).postRaw("ListBackends", "{}").body());
            assertThat(bodies).hasSizeGreaterThan(routes.size()).allSatisfy(body -> assertThat(body)
                    .doesNotContain("canary"));
            server.terminate();
            assertThat(server.awaitExit(Duration.ofSeconds(30))).isZero();

            List<String> output = server.output();
            assertThat(output).as("the plugin's DEBUG line while it starts with the secret")
                    .anyMatch(debug("backend.fake_parent.0 - Starting with 1 children and a Token of "
                            + CANARY.length() + " characters"));
            assertThat(output).as("the lifecycle's DEBUG line with the failure of a backend holding the secret")
                    .anyMatch(debug("Cause of the failure of backend 1 (fake_failing)"))
                    .contains("Caused by: java.io.IOException: the engine refused the token");
            assertThat(output).as("the envelope's DEBUG line for a refused body holding the secret")
                    .anyMatch(debug("Refused the body of a call to /API/editbackend: invalid JSON: "));
            assertThat(output).as("the server's output, logs at DEBUG included").noneMatch(line -> line.contains("canary"));
        }
        assertSecretStaysInTheBackendsFiles(data);
    }

    /** A DEBUG line of the shipped pattern ({@code time DEBUG [thread] logger - message}) containing the text. */
    private static Predicate<String> debug(String text) {
        return line -> line.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} DEBUG .*") && line.contains(text);
    }

    /** The route names a server with these plugins serves (taken from one in this JVM, to miss none). */
    private SortedSet<String> routeNames(Path plugins) throws Exception {
        try (SwitchboardServer server = SwitchboardServer.start(new ServerOptions("127.0.0.1", 0,
                folder.resolve("enumerate"), plugins, false, 1 << 20, Duration.ofMinutes(10)))) {
            return server.routeNames();
        }
    }

    private static void assertSecretStaysInTheBackendsFiles(Path data) throws IOException {
        List<Path> backendsFiles = new ArrayList<>();
        try (Stream<Path> files = Files.walk(data)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                String name = file.getFileName().toString();
                if (name.equals("backends.json") || name.matches("backends\\.json\\.\\d+")) {
                    backendsFiles.add(file);
                    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                            .as(name).isEqualTo("rw-------");
                } else {
                    assertThat(new String(Files.readAllBytes(file), ISO_8859_1)).as(file.toString())
                            .doesNotContain("canary");
                }
            }
        }
        assertThat(backendsFiles).as("backends.json and at least one rotated backup").hasSizeGreaterThan(1);
        // The routes loop deleted backend 0 again; backend 1 (fake_failing) still holds the secret.
        assertThat(backendsFiles).as("the secret was stored").anySatisfy(file -> assertThat(Files.readString(file))
                .contains(CANARY));
    }
}
