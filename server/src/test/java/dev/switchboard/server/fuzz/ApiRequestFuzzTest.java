package dev.switchboard.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.switchboard.server.bootstrap.ServerOptions;
import dev.switchboard.server.bootstrap.StartupException;
import dev.switchboard.server.bootstrap.SwitchboardServer;
import dev.switchboard.testkit.server.SwarmApiClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Coverage-guided fuzzing of the whole API request path (R8): route name, method, headers and body bytes go
 * over a real socket into a real server in this JVM (so Jazzer sees the coverage of the handler chain), loading
 * a packaged in-memory plugin. Every answer must be SwarmUI's envelope: 200 with a JSON object (a route error as
 * {@code {"error": "..."}}), 400/401 with {@code error} and {@code error_id}, or the 302 for non-POST requests;
 * never a 5xx, a stack trace or a Java class name the request did not contain; and a refused request leaves
 * {@code backends.json} byte for byte as it was.
 *
 * <p>{@code mvn verify} replays the inputs under {@code src/test/resources/.../ApiRequestFuzzTestInputs/};
 * {@code JAZZER_FUZZ=1} fuzzes (see {@code server/FUZZING.md}).
 */
final class ApiRequestFuzzTest {
    private static final List<String> ROUTES = List.of("GetNewSession", "ListBackendTypes", "ListBackends",
            "AddNewBackend", "EditBackend", "DeleteBackend", "ToggleBackend", "RestartBackends", "FreeBackendMemory",
            "GetBackendLogs", "ListPlugins");
    private static final List<String> CONTENT_TYPES = List.of("application/json", "application/json; charset=utf-8",
            "application/vnd.api+json", "text/plain", "application/x-www-form-urlencoded");
    /** Continue {@code {"session_id":"<valid>"}; the fuzzed rest only has to close the object to be valid. */
    private static final List<String> BODY_STARTS = List.of("", ",\"type_id\":\"fuzz_memory\"", ",\"backend_id\":0",
            ",\"backend_id\":0,\"settings\":{\"Count\":2}", ",\"backend_id\":0,\"title\":\"t\",\"settings\":{\"Mode\":",
            ",\"backend\":\"all\"", ",\"backend_id\":0,\"enabled\":false");
    private static final List<String> OTHER_METHODS = List.of("GET", "PUT", "DELETE", "HEAD", "PATCH");
    /** Framing is the harness's job; a fuzzed copy of these would only make the request unparseable. */
    private static final List<String> RESERVED_HEADERS = List.of("host", "content-length", "transfer-encoding",
            "connection", "expect", "content-type", "upgrade", "te", "trailer");
    /** Text that only a leaked exception would put in an answer (unless the request itself carried it). */
    private static final List<String> LEAK_MARKERS = List.of("Exception", "\tat ", "dev.switchboard.", "java.lang.",
            "java.util.", "io.undertow.", "org.xnio.", "com.google.", "Caused by", "NullPointer");
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(20);

    private static Path root;
    private static SwitchboardServer server;
    private static int port;
    private static String session;

    @BeforeAll
    static void startServer() throws IOException, StartupException {
        root = Files.createTempDirectory("switchboard-api-fuzz");
        Path plugins = FuzzBackendPlugin.buildInto(Files.createDirectories(root.resolve("plugins")));
        server = SwitchboardServer.start(new ServerOptions("127.0.0.1", 0, root.resolve("data"), plugins, false,
                64 * 1024, Duration.ofMinutes(1)));
        port = URI.create(server.url()).getPort();
        session = new SwarmApiClient(server.url()).session();
    }

    @AfterAll
    static void stopServer() throws IOException {
        if (server != null) {
            server.close();
        }
        if (root != null) {
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    @FuzzTest(maxDuration = "5m")
    @DictionaryEntries({"\"session_id\":", "\"backend_id\":", "\"type_id\":", "\"fuzz_memory\"", "\"settings\":",
        "\"title\":", "\"enabled\":", "\"backend\":", "\"system_ram\":", "\"new_id\":", "\"since\":",
        "\"limit\":", "\"nonreal\":", "\"full_data\":", "\"Name\":", "\"Token\":", "\"Count\":",
        "\"Ratio\":", "\"Flag\":", "\"Mode\":", "\"fast\"", "\"Tags\":", "true", "false", "null", "\"all\"",
        "\"\\t\"", "-1", "0", "1e3", "2147483648", "\"\\ud800\"", "{}", "[]", "}", "]"})
    void everyAnswerIsAnEnvelopeAndRefusalsChangeNothing(FuzzedDataProvider data) throws IOException {
        String route = data.consumeInt(0, 7) != 0 ? data.pickValue(ROUTES) : data.consumeString(48);
        route = switch (data.consumeInt(0, 3)) {
            case 0 -> route.toLowerCase(Locale.ROOT);
            case 1 -> route.toUpperCase(Locale.ROOT);
            default -> route;
        };
        String method = data.consumeInt(0, 15) == 0 ? data.pickValue(OTHER_METHODS) : "POST";
        String contentType = data.consumeInt(0, 7) == 0 ? printable(data.consumeString(40))
                : data.pickValue(CONTENT_TYPES.subList(0, data.consumeBoolean() ? 2 : CONTENT_TYPES.size()));
        int sessionPlacement = data.consumeInt(0, 4);
        boolean chunked = data.consumeInt(0, 15) == 0;
        boolean extraHeader = data.consumeInt(0, 7) == 0;
        String extraName = extraHeader ? headerName(data.consumeString(20)) : "";
        String extraValue = extraHeader ? printable(data.consumeString(60)) : "";
        // A valid session and the start of a route's parameters, so that most inputs get past the envelope.
        // Taken last, so inputs saved before it existed still decode to the same requests.
        String bodyStart = sessionPlacement == 0 ? data.pickValue(BODY_STARTS) : "";
        byte[] rest = data.consumeRemainingAsBytes();

        StringBuilder head = new StringBuilder()
                .append(method).append(" /API/").append(percentEncode(route)).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(port).append("\r\n")
                .append("Connection: close\r\n")
                .append("Content-Type: ").append(contentType).append("\r\n");
        byte[] body = switch (sessionPlacement) {
            case 0 -> concat("{\"session_id\":\"" + session + "\"" + bodyStart, rest);
            case 1 -> {
                head.append("X-Session-ID: ").append(session).append("\r\n");
                yield rest;
            }
            case 2 -> concat("{\"session_id\":", rest);
            default -> rest;
        };
        if (!extraName.isEmpty() && !RESERVED_HEADERS.contains(extraName.toLowerCase(Locale.ROOT))) {
            head.append(extraName).append(": ").append(extraValue).append("\r\n");
        }
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        if (chunked) {
            head.append("Transfer-Encoding: chunked\r\n\r\n");
            request.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body.length > 0) {
                request.writeBytes((Integer.toHexString(body.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                request.writeBytes(body);
                request.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            request.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        } else {
            head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
            request.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            request.writeBytes(body);
        }
        byte[] requestBytes = request.toByteArray();

        byte[] storeBefore = storeBytes();
        String requestText = new String(requestBytes, StandardCharsets.UTF_8);
        RawHttpExchange.Response response;
        // Jazzer's SSRF detector would flag any connection; this one goes to the server under test only.
        try (SilentCloseable allowed = BugDetectors.allowNetworkConnections(
                (host, toPort) -> toPort == port && (host.equals("localhost") || host.equals("127.0.0.1")))) {
            response = RawHttpExchange.send(port, requestBytes, ANSWER_TIMEOUT);
        } catch (IOException e) {
            throw new AssertionError("no complete answer to " + requestText, e);
        }

        String answer = response.bodyText();
        assertThat(response.status()).as("status for %s", requestText).isIn(200, 302, 400, 401);
        for (String marker : LEAK_MARKERS) {
            if (!requestText.contains(marker)) {
                assertThat(answer).as("answer to %s", requestText).doesNotContain(marker);
            }
        }
        boolean accepted = false;
        if (response.status() == 302) {
            assertThat(method).isNotEqualTo("POST");
            assertThat(response.headers().get("location")).isEqualTo("/Error/NoGetAPI");
        } else {
            JsonObject json = jsonObject(answer, requestText);
            if (response.status() == 200) {
                accepted = !json.has("error");
                if (!accepted) {
                    assertThat(json.get("error").isJsonPrimitive()).as(answer).isTrue();
                }
            } else {
                assertThat(json.has("error_id") && json.get("error_id").isJsonPrimitive()).as(answer).isTrue();
                assertThat(json.has("error") && json.get("error").isJsonPrimitive()).as(answer).isTrue();
            }
        }
        if (!accepted) {
            assertThat(storeBytes()).as("backends.json after the refused %s", requestText).isEqualTo(storeBefore);
        }
    }

    private static JsonObject jsonObject(String answer, String requestText) {
        JsonElement parsed = JsonParser.parseString(answer);
        assertThat(parsed.isJsonObject()).as("answer %s to %s", answer, requestText).isTrue();
        return parsed.getAsJsonObject();
    }

    private static byte[] storeBytes() throws IOException {
        Path file = root.resolve("data").resolve("backends.json");
        return Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
    }

    private static byte[] concat(String prefix, byte[] rest) {
        byte[] start = prefix.getBytes(StandardCharsets.UTF_8);
        byte[] all = Arrays.copyOf(start, start.length + rest.length);
        System.arraycopy(rest, 0, all, start.length, rest.length);
        return all;
    }

    /** Keeps visible ASCII and spaces: anything else would end the header line or break the request head. */
    private static String printable(String text) {
        StringBuilder kept = new StringBuilder();
        text.chars().filter(c -> c >= 0x20 && c < 0x7f).forEach(c -> kept.append((char) c));
        return kept.toString().trim();
    }

    private static String headerName(String text) {
        StringBuilder kept = new StringBuilder();
        text.chars().filter(c -> Character.isLetterOrDigit(c) && c < 0x80 || c == '-').forEach(c -> kept.append((char) c));
        return kept.toString();
    }

    private static String percentEncode(String route) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : route.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~".indexOf(c) >= 0)) {
                encoded.append(c);
            } else {
                encoded.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return encoded.toString();
    }
}
