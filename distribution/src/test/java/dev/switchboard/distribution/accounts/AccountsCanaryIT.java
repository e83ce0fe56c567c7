package dev.switchboard.distribution.accounts;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import dev.switchboard.distribution.ShippedDistribution;
import dev.switchboard.server.accounts.AccountsFile;
import dev.switchboard.server.it.accounts.TestAccounts;
import dev.switchboard.testkit.server.SwitchboardProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A canary password and canary API keys (and one given to {@code bin/switchboard user add} on standard input),
 * used in every way a caller may present credentials to {@code bin/switchboard} (valid, expired and unknown keys, cookies, every route, the paths outside the API) with
 * every Switchboard logger at DEBUG, never appear in an answer (body or header), in the server's output or log
 * file, or in any file under the data directory: the users file holds only their hashes.
 */
final class AccountsCanaryIT {
    private static final Duration START = Duration.ofSeconds(60);
    private static final String PASSWORD = "canary-password-4f1e9b2d";
    private static final String KEY = "sb_canary-key-8c3d7a61e5f04b92";
    private static final String EXPIRED_KEY = "sb_canary-expired-2b9f6e0a1c7d";
    private static final String WRONG_PASSWORD = "canary-wrong-password-71c0";
    private static final String NEW_PASSWORD = "canary-new-password-93ad5e";
    private static final String RESET_PASSWORD = "canary-reset-password-0b8f";
    /** Given to {@code bin/switchboard user add} on standard input, as an operator does. */
    private static final String COMMAND_PASSWORD = "canary-command-password-5e2a";
    private static final List<String> CANARIES = List.of(PASSWORD, KEY, EXPIRED_KEY, "canary");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> answers = new ArrayList<>();
    /** Secrets the server made (a login cookie's token, a created key's text), each shown in one answer only. */
    private final List<String> issued = new ArrayList<>();

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void theCanariesAppearNowhereButAsHashes(boolean jsonLogFile, @TempDir Path folder)
            throws Exception {
        Path data = folder.resolve("data");
        Path logFile = folder.resolve("logs/switchboard.log");
        new TestAccounts()
                .user("owner", "the owner's password", "owner").key("owner", "owner-key", "sb_owner-key-0123456789")
                .user("carol", PASSWORD, "user").key("carol", "carol-key", KEY)
                .key("carol", "carol-old-key", EXPIRED_KEY, Optional.of(Instant.parse("2021-01-01T00:00:00Z")))
                .writeTo(data);
        SwitchboardProcess.Result added = userAdd(folder, COMMAND_PASSWORD + "\n", "add", "ops", "--role", "admin",
                "--password-stdin", "--data-dir", data.toString());
        assertThat(added.exitCode()).as(added.output()).isZero();
        assertThat(added.output()).isEqualTo("Added user ops with role admin.");
        List<String> options = new ArrayList<>(List.of("--port", "0", "--data-dir", data.toString()));
        if (jsonLogFile) {
            options.addAll(List.of("--log-format", "json", "--log-file", logFile.toString()));
        }
        List<String> output;
        try (SwitchboardProcess server = ShippedDistribution.start(folder, options,
                Map.of("JAVA_OPTS", "-Dswitchboard.log.level=DEBUG"))) {
            String url = "http://127.0.0.1:" + URI.create(server.awaitReady(START)).getPort();
            exercise(url);
            server.terminate();
            assertThat(server.awaitExit(Duration.ofSeconds(30))).isZero();
            output = server.output();
        }

        assertThat(answers).hasSizeGreaterThan(40).allSatisfy(answer -> assertThat(answer)
                .doesNotContainIgnoringCase("canary"));
        assertThat(issued).hasSize(5);
        for (String secret : issued) {
            assertThat(answers).as("the answers showing %s", secret).filteredOn(answer -> answer.contains(secret))
                    .hasSize(1);
        }
        List<String> log = jsonLogFile ? Files.readAllLines(logFile, UTF_8) : output;
        // Not vacuous: the log has the DEBUG level on, and the refusals of carol's calls.
        assertThat(log).anyMatch(line -> line.contains(jsonLogFile ? "\"level\":\"DEBUG\"" : " DEBUG "))
                .anyMatch(line -> line.contains("Refused ListBackends to user 'carol' from 127.0.0.1"));
        assertThat(output).as("the server's output").allSatisfy(this::hasNoCanary);
        assertThat(log).as("the log").allSatisfy(this::hasNoCanary);

        List<Path> files;
        try (Stream<Path> walk = Files.walk(data)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertThat(files).contains(data.resolve(AccountsFile.FILE_NAME));
        for (Path file : files) {
            String content = new String(Files.readAllBytes(file), ISO_8859_1);
            assertThat(content).as("%s", file).doesNotContain("canary").doesNotContain(issued);
        }
        String users = Files.readString(data.resolve(AccountsFile.FILE_NAME), UTF_8);
        assertThat(users).contains(TestAccounts.sha256(KEY), TestAccounts.sha256(EXPIRED_KEY), "$argon2id$");
    }

    private void hasNoCanary(String line) {
        for (String canary : CANARIES) {
            assertThat(line).doesNotContain(canary);
        }
        assertThat(line).doesNotContain(issued);
    }

    /** Every way the canaries can reach the server. */
    private void exercise(String url) throws Exception {
        String session = field(post(url, "GetNewSession", "{}", bearer(KEY)), "session_id");
        for (Map<String, String> headers : List.of(bearer(EXPIRED_KEY), bearer(KEY + "x"), bearer("x" + KEY),
                bearer(PASSWORD), Map.of("Authorization", KEY), Map.of("Cookie", "swarm_token=" + KEY),
                Map.of("Cookie", "swarm_token=" + PASSWORD), Map.of("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString(("carol:" + PASSWORD).getBytes(UTF_8))))) {
            post(url, "GetNewSession", "{}", headers);
            post(url, "ListBackends", "{}", headers);
            for (String path : List.of("/metrics", "/openapi.json", "/View/carol/x.png", "/ComfyBackendDirect/x")) {
                get(url, path, headers);
            }
        }
        String routes = get(url, "/openapi.json", bearer("sb_owner-key-0123456789"));
        for (String route : JsonParser.parseString(routes.substring(routes.indexOf("\n\n") + 2))
                .getAsJsonObject().getAsJsonObject("paths").keySet()) {
            String name = route.substring("/API/".length());
            // Parameters naming nothing, so nothing changes; the key travels along as well.
            post(url, name, "{\"session_id\":\"" + session + "\",\"backend_id\":2147483000,\"images\":0,"
                    + "\"type_id\":\"none\",\"model\":\"none\"}", bearer(KEY));
            post(url, name, "{\"session_id\":\"" + session + "\",", bearer(KEY));
        }
        for (String path : List.of("/metrics", "/openapi.json", "/View/carol/x.png", "/Output/x.png", "/", "/healthz",
                "/readyz", "/ComfyBackendDirect/object_info")) {
            get(url, path, bearer(KEY));
        }
        accountRoutes(url, session);
    }

    /** Logins, password changes and a created key, each secret also sent where it is wrong. */
    private void accountRoutes(String url, String keySession) throws Exception {
        String ops = loginCookie(url, "ops", COMMAND_PASSWORD);
        assertThat(field(post(url, "GetNewSession", "{}", Map.of("Cookie", ops)), "user_id")).isEqualTo("ops");
        post(url, "Login", login("carol", WRONG_PASSWORD), Map.of());
        post(url, "Login", login("nobody", PASSWORD), Map.of());
        String cookie = loginCookie(url, "carol", PASSWORD);
        String carol = field(post(url, "GetNewSession", "{}", Map.of("Cookie", cookie)), "session_id");
        post(url, "ChangePassword", "{\"session_id\":\"" + carol + "\",\"oldPassword\":\"" + WRONG_PASSWORD
                + "\",\"newPassword\":\"" + NEW_PASSWORD + "\"}", Map.of("Cookie", cookie));
        post(url, "ChangePassword", "{\"session_id\":\"" + carol + "\",\"oldPassword\":\"" + PASSWORD
                + "\",\"newPassword\":\"short\"}", Map.of("Cookie", cookie));
        String changed = post(url, "ChangePassword", "{\"session_id\":\"" + carol + "\",\"oldPassword\":\""
                + PASSWORD + "\",\"newPassword\":\"" + NEW_PASSWORD + "\"}", Map.of("Cookie", cookie));
        assertThat(changed).contains("\"success\":true");
        post(url, "GetNewSession", "{}", Map.of("Cookie", cookie));
        String newCookie = loginCookie(url, "carol", NEW_PASSWORD);
        String created = post(url, "CreateAPIKey", "{\"session_id\":\"" + keySession + "\",\"label\":\"farm\"}",
                Map.of());
        String createdKey = field(created, "key");
        issued.add(createdKey);
        assertThat(field(post(url, "GetNewSession", "{}", bearer(createdKey)), "user_id")).isEqualTo("carol");
        post(url, "ListAPIKeys", "{\"session_id\":\"" + keySession + "\"}", Map.of());
        post(url, "RevokeAPIKey", "{\"session_id\":\"" + keySession + "\",\"id\":\"" + field(created, "id")
                + "\"}", Map.of());
        post(url, "GetNewSession", "{}", bearer(createdKey));
        String owner = field(post(url, "GetNewSession", "{}", bearer("sb_owner-key-0123456789")), "session_id");
        post(url, "AdminSetUserPassword", "{\"session_id\":\"" + owner + "\",\"name\":\"carol\",\"password\":\""
                + RESET_PASSWORD + "\"}", Map.of());
        post(url, "AdminAddUser", "{\"session_id\":\"" + owner + "\",\"name\":\"dan\",\"password\":\""
                + RESET_PASSWORD + "\",\"role\":\"user\"}", Map.of());
        post(url, "AdminAddUser", "{\"session_id\":\"" + owner + "\",\"name\":\"-bad-\",\"password\":\""
                + RESET_PASSWORD + "\",\"role\":\"user\"}", Map.of());
        String resetCookie = loginCookie(url, "carol", RESET_PASSWORD);
        String carolAgain = field(post(url, "GetNewSession", "{}", Map.of("Cookie", resetCookie)), "session_id");
        post(url, "GetAuditLog", "{\"session_id\":\"" + owner + "\"}", Map.of());
        post(url, "Logout", "{\"session_id\":\"" + carolAgain + "\"}", Map.of("Cookie", resetCookie));
        post(url, "GetNewSession", "{}", Map.of("Cookie", newCookie));
    }

    /** Runs {@code bin/switchboard user ...} with {@code stdin} as its standard input. */
    private static SwitchboardProcess.Result userAdd(Path folder, String stdin, String... arguments)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(ShippedDistribution.launcher().toString(), "user"));
        command.addAll(List.of(arguments));
        try (SwitchboardProcess process = SwitchboardProcess.start(folder, command)) {
            try (OutputStream in = process.process().getOutputStream()) {
                in.write(stdin.getBytes(UTF_8));
            }
            int exitCode = process.awaitExit(START);
            return new SwitchboardProcess.Result(exitCode, String.join("\n", process.output()));
        }
    }

    private static String login(String name, String password) {
        return "{\"username\":\"" + name + "\",\"password\":\"" + password + "\"}";
    }

    /** Logs in and returns the cookie to send ({@code swarm_token=...}); its token is a secret the server made. */
    private String loginCookie(String url, String name, String password) throws Exception {
        String answer = post(url, "Login", login(name, password), Map.of());
        String cookie = answer.lines().filter(line -> line.toLowerCase(Locale.ROOT).startsWith("set-cookie: "))
                .findFirst().orElseThrow(() -> new AssertionError("no login cookie: " + answer))
                .substring("set-cookie: ".length()).split(";")[0];
        issued.add(cookie.substring(cookie.indexOf('=') + 1));
        return cookie;
    }

    private static Map<String, String> bearer(String key) {
        return Map.of("Authorization", "Bearer " + key);
    }

    private String post(String url, String route, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + "/API/" + route))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body, UTF_8));
        return send(request, headers);
    }

    private String get(String url, String path, Map<String, String> headers) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url + path)).GET(), headers);
    }

    /** Sends a request and keeps its answer: status, every header, blank line, body. */
    private String send(HttpRequest.Builder request, Map<String, String> headers) throws IOException,
            InterruptedException {
        headers.forEach(request::header);
        HttpResponse<byte[]> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        StringBuilder answer = new StringBuilder().append(response.statusCode()).append('\n');
        response.headers().map().forEach((name, values) -> answer.append(name).append(": ")
                .append(String.join(", ", values)).append('\n'));
        String text = answer.append('\n').append(new String(response.body(), UTF_8)).toString();
        answers.add(text);
        return text;
    }

    private static String field(String answer, String name) {
        return JsonParser.parseString(answer.substring(answer.indexOf("\n\n") + 2)).getAsJsonObject()
                .get(name).getAsString();
    }
}
