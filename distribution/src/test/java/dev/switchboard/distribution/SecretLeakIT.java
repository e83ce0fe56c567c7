package dev.switchboard.distribution;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A canary secret, given to the server as its required authorization and to backends as their secret setting,
 * never leaves {@code backends.json} and its backups: not in any answer, not in any other file, and not in the
 * server's output with every Switchboard logger at DEBUG ({@code -Dswitchboard.log.level=DEBUG} in
 * {@code JAVA_OPTS}, which the shipped {@code logback.xml} reads).
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
            for (String route : routes) {
                bodies.add(api.postRaw(route, "{\"session_id\":\"" + api.session() + "\",\"backend_id\":0,"
                        + "\"type_id\":\"fake_parent\",\"enabled\":true,\"title\":\"t4\",\"settings\":{}}").body());
            }
            bodies.add(new SwarmApiClient(url).postRaw("ListBackends", "{}").body());
            assertThat(bodies).hasSizeGreaterThan(routes.size()).allSatisfy(body -> assertThat(body)
                    .doesNotContain("canary"));
            server.terminate();
            assertThat(server.awaitExit(Duration.ofSeconds(30))).isZero();

            assertThat(server.output()).as("the server's output, logs at DEBUG included").isNotEmpty()
                    .noneMatch(line -> line.contains("canary"));
        }
        assertSecretStaysInTheBackendsFiles(data);
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
        // The routes loop deleted the backend again, so the secret is in the backups only.
        assertThat(backendsFiles).as("the secret was stored").anySatisfy(file -> assertThat(Files.readString(file))
                .contains(CANARY));
    }
}
