package dev.switchboard.distribution;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import dev.switchboard.server.bootstrap.ServerOptions;
import dev.switchboard.server.bootstrap.SwitchboardServer;
import dev.switchboard.server.it.TestPlugins;
import dev.switchboard.testkit.server.SwarmApiClient;
import dev.switchboard.testkit.server.SwitchboardProcess;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A canary secret, given to the server as its required authorization and to backends as their secret setting,
 * never leaves {@code backends.json} and its backups: not in any answer, not in any other file, and not in the
 * server's output or log file with every Switchboard logger at DEBUG ({@code -Dswitchboard.log.level=DEBUG} in
 * {@code JAVA_OPTS}, which the shipped {@code logback.xml} reads), in each log format and destination
 * ({@code --log-format text|json}, standard error or {@code --log-file}). The DEBUG events of the code that
 * handles the secret (the plugin's, the backend lifecycle's, the request envelope's) are checked to be there
 * first, so the check of their absence of the secret is not vacuous.
 */
final class SecretLeakIT {
    /** Where the server's log goes, and in which format. */
    enum LogDestination {
        TEXT_ON_STDERR(false, false), JSON_ON_STDERR(true, false), TEXT_IN_A_FILE(false, true),
        JSON_IN_A_FILE(true, true);

        final boolean json;
        final boolean file;

        LogDestination(boolean json, boolean file) {
            this.json = json;
            this.file = file;
        }

        List<String> options(Path logFile) {
            List<String> options = new ArrayList<>();
            if (json) {
                options.addAll(List.of("--log-format", "json"));
            }
            if (file) {
                options.addAll(List.of("--log-file", logFile.toString()));
            }
            return options;
        }
    }

    private static final String CANARY = "Bearer canary-b7e1d2c9";
    private static final Duration START = Duration.ofSeconds(60);

    @TempDir
    Path folder;

    @ParameterizedTest
    @EnumSource(LogDestination.class)
    void aCanarySecretNeverLeavesTheBackendsFileEvenAtDebug(LogDestination destination) throws Exception {
        Path plugins = TestPlugins.withFake(folder.resolve("process"));
        SortedSet<String> routes = routeNames(plugins);
        Path data = folder.resolve("data");
        Path logFile = folder.resolve("logs/switchboard.log");
        List<String> options = new ArrayList<>(List.of("--host", "0.0.0.0", "--port", "0", "--data-dir",
                data.toString(), "--plugins-dir", plugins.toString()));
        options.addAll(destination.options(logFile));
        // The secret comes from the environment (so it is not in ps), and the server listens beyond loopback.
        try (SwitchboardProcess server = ShippedDistribution.start(folder, options, Map.of(
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
            List<String> log = destination.file ? logLines(logFile) : output;
            LogEvents events = destination.json ? JsonEvents.of(log, destination.file)
                    : new TextEvents(log, destination.file);
            assertThat(events.debug("backend.fake_parent.0", "Starting with 1 children and a Token of "
                    + CANARY.length() + " characters")).as("the plugin's DEBUG line while it starts with the secret")
                    .isNotEmpty();
            assertThat(events.debug("dev.switchboard.server.backends.BackendLifecycle",
                    "Cause of the failure of backend 1 (fake_failing)"))
                    .as("the lifecycle's DEBUG line with the failure of a backend holding the secret")
                    .anyMatch(stackTrace -> stackTrace.contains(
                            "Caused by: java.io.IOException: the engine refused the token"));
            assertThat(events.debug("dev.switchboard.server.http", "Refused the body of a call to /API/editbackend:"
                    + " invalid JSON: ")).as("the envelope's DEBUG line for a refused body holding the secret")
                    .isNotEmpty();
            assertThat(output).as("the server's output, logs at DEBUG included").noneMatch(line -> line.contains("canary"));
            assertThat(log).as("the log").noneMatch(line -> line.contains("canary"));
            if (destination.file) {
                assertThat(output).as("no log line on the console when logging to a file")
                        .noneMatch(line -> line.matches(TextEvents.STDERR_LINE + ".*") || line.startsWith("{"));
            }
        }
        assertSecretStaysInTheBackendsFiles(data);
    }

    /** Every line of the log file and the files it was rotated to. */
    private static List<String> logLines(Path logFile) throws IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(logFile.getParent())) {
            for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                assertThat(file.getFileName().toString()).startsWith(logFile.getFileName().toString());
                lines.addAll(Files.readAllLines(file));
            }
        }
        assertThat(lines).as("the log file " + logFile).isNotEmpty();
        return lines;
    }

    /** The log events of one format. */
    private interface LogEvents {
        /**
         * The DEBUG events of a logger (or a logger under that package; text lines abbreviate the names, so there
         * only the message counts) whose message contains the text; each given as its stack trace, empty when it
         * has none.
         */
        List<String> debug(String logger, String message);
    }

    /** Text lines: {@code time LEVEL [thread] logger - message}, stack traces on the lines after. */
    private record TextEvents(List<String> lines, boolean file) implements LogEvents {
        static final String STDERR_LINE = "\\d\\d:\\d\\d:\\d\\d\\.\\d{3} ";
        static final String FILE_LINE = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) ";

        @Override
        public List<String> debug(String logger, String message) {
            String start = file ? FILE_LINE : STDERR_LINE;
            List<String> found = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.matches(start + "DEBUG \\[.*\\] \\S+ - .*") && line.contains(message)) {
                    StringBuilder stackTrace = new StringBuilder();
                    for (int j = i + 1; j < lines.size() && !lines.get(j).matches(start + ".*"); j++) {
                        stackTrace.append(lines.get(j)).append('\n');
                    }
                    found.add(stackTrace.toString());
                }
            }
            return found;
        }
    }

    /**
     * JSON lines: every log line parses, and carries its fields. A log file holds nothing else; the console also has
     * the operator's lines on standard output.
     */
    private record JsonEvents(List<JsonObject> events) implements LogEvents {
        static JsonEvents of(List<String> lines, boolean onlyLog) {
            List<JsonObject> events = new ArrayList<>();
            for (String line : lines) {
                assertThat(line).as("no text log line in JSON mode").doesNotMatch(TextEvents.STDERR_LINE + ".*");
                if (onlyLog || line.startsWith("{")) {
                    JsonObject event = strictJson(line);
                    assertThat(event.keySet()).as(line).contains("time", "level", "logger", "thread", "message");
                    assertThat(Instant.parse(event.get("time").getAsString())).as(line).isNotNull();
                    assertThat(event.get("time").getAsString()).as("UTC to the millisecond")
                            .matches(".*T\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
                    assertThat(event.get("level").getAsString()).isIn("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
                    events.add(event);
                }
            }
            assertThat(events).as("JSON log lines").isNotEmpty();
            return new JsonEvents(events);
        }

        /** One JSON object, parsed strictly (Gson's default would accept what is not JSON). */
        private static JsonObject strictJson(String line) {
            try (JsonReader reader = new JsonReader(new StringReader(line))) {
                reader.setStrictness(Strictness.STRICT);
                JsonObject event = JsonParser.parseReader(reader).getAsJsonObject();
                assertThat(reader.peek()).as("one object on the line: " + line).isEqualTo(JsonToken.END_DOCUMENT);
                return event;
            } catch (IOException e) {
                throw new AssertionError("not a JSON line: " + line, e);
            }
        }

        @Override
        public List<String> debug(String logger, String message) {
            List<JsonObject> found = events.stream()
                    .filter(event -> event.get("level").getAsString().equals("DEBUG"))
                    .filter(event -> event.get("logger").getAsString().startsWith(logger))
                    .filter(event -> event.get("message").getAsString().contains(message))
                    .toList();
            for (JsonObject event : found) {
                String name = event.get("logger").getAsString();
                if (name.startsWith("backend.")) {
                    assertThat(event.get("backend_id").getAsInt()).as(event.toString())
                            .isEqualTo(Integer.parseInt(name.substring(name.lastIndexOf('.') + 1)));
                } else {
                    assertThat(event.has("backend_id")).as(event.toString()).isFalse();
                }
            }
            return found.stream()
                    .map(event -> event.has("stack_trace") ? event.get("stack_trace").getAsString() : "")
                    .toList();
        }
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
