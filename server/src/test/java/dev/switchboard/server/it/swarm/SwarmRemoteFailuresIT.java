package dev.switchboard.server.it.swarm;

import static dev.switchboard.server.it.swarm.SwarmServers.PATIENCE;
import static dev.switchboard.server.it.swarm.SwarmServers.add;
import static dev.switchboard.server.it.swarm.SwarmServers.awaitStatus;
import static dev.switchboard.server.it.swarm.SwarmServers.children;
import static dev.switchboard.server.it.swarm.SwarmServers.edit;
import static dev.switchboard.server.it.swarm.SwarmServers.view;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.gson.JsonObject;
import dev.switchboard.server.bootstrap.SwitchboardServer;
import dev.switchboard.testkit.server.SwarmApiClient;
import dev.switchboard.testkit.swarm.OldSwarmStandIn;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * One real Switchboard server whose swarmswarmbackend talks to remotes that misbehave or are old: stalled
 * sockets, an OLD StableSwarmUI stand-in (count_running, string ids, forgotten sessions), and header
 * settings that must never leak.
 */
final class SwarmRemoteFailuresIT {
    private static final String SECRET = "Bearer s3cr3t-t0ken-9f1c";

    @TempDir
    Path data;
    SwitchboardServer local;
    SwarmApiClient api;
    OldSwarmStandIn old;
    ListAppender<ILoggingEvent> logs;
    final List<Socket> heldSockets = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        logs = new ListAppender<>();
        logs.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
        local = SwarmServers.start(data, 0);
        api = new SwarmApiClient(local.url());
        old = OldSwarmStandIn.start();
    }

    @AfterEach
    void stop() throws IOException {
        local.close();
        old.close();
        for (Socket socket : heldSockets) {
            socket.close();
        }
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    }

    private static String quote(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    @Test
    void anOldStyleRemoteIsMirroredWithHeadersOnEveryCallAndSurvivesLosingItsSessions() {
        old.putBackend(new OldSwarmStandIn.Backend(0, "comfyui_api", "running", "old gpu", List.of("comfyui", "refiners"),
                2, "sdxl/base.safetensors"));
        old.putBackend(new OldSwarmStandIn.Backend(1, "comfyui_api", "errored", "broken gpu", List.of("comfyui"), 1, null));
        int control = add(api, "swarmswarmbackend", "old box", "{\"Address\":\"" + old.baseUrl()
                + "\",\"AuthorizationHeader\":\"" + SECRET + "\",\"OtherHeaders\":\"X-Team: blue\\nX-Trace: a:b\"}");
        awaitStatus(api, control, "running");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(children(api, control)).hasSize(1));
        JsonObject child = children(api, control).get(0);
        assertThat(child.get("title").getAsString()).isEqualTo("[Remote from " + control + ": old box] old gpu");
        assertThat(child.get("max_usages").getAsInt()).isEqualTo(2);
        assertThat(child.get("current_model").getAsString()).isEqualTo("sdxl/base.safetensors");
        assertThat(child.getAsJsonArray("features").toString()).contains("comfyui", "refiners");
        int childId = child.get("id").getAsInt();

        assertThat(old.calls()).isNotEmpty().allSatisfy(call -> {
            assertThat(call.headers()).containsEntry("authorization", SECRET);
            assertThat(call.headers()).containsEntry("x-team", "blue");
            assertThat(call.headers()).containsEntry("x-trace", "a:b");
        });
        assertThat(old.calls("ListBackends").get(0).body().get("nonreal").getAsBoolean()).isTrue();
        assertThat(old.calls("ListBackends").get(0).body().get("full_data").getAsBoolean()).isTrue();

        int sessionsBefore = old.calls("GetNewSession").size();
        old.forgetSessions();
        await().atMost(PATIENCE).untilAsserted(() ->
                assertThat(old.calls("GetNewSession")).hasSizeGreaterThan(sessionsBefore));
        old.putBackend(new OldSwarmStandIn.Backend(0, "comfyui_api", "running", "old gpu", List.of("comfyui"), 3,
                "sd15/other.safetensors"));
        await().atMost(PATIENCE).untilAsserted(() -> {
            JsonObject now = view(api, childId);
            assertThat(now.get("max_usages").getAsInt()).isEqualTo(3);
            assertThat(now.get("current_model").getAsString()).isEqualTo("sd15/other.safetensors");
            assertThat(now.get("status").getAsString()).isEqualTo("running");
        });

        JsonObject freed = api.call("FreeBackendMemory", "{\"system_ram\":true,\"backend\":\"" + childId + "\"}");
        assertThat(freed.get("result").getAsBoolean()).isTrue();
        JsonObject forwarded = old.calls("FreeBackendMemory").get(0).body();
        assertThat(forwarded.get("backend").getAsString()).isEqualTo("0");
        assertThat(forwarded.get("system_ram").getAsBoolean()).isTrue();
        assertThat(forwarded.has("session_id")).isTrue();

        assertSecretNeverShown(control);
    }

    private void assertSecretNeverShown(int control) {
        String token = SECRET.substring("Bearer ".length());
        assertThat(api.call("ListBackends", "{\"nonreal\":true,\"full_data\":true}").toString()).doesNotContain(token);
        assertThat(api.call("ListBackendTypes").toString()).doesNotContain(token);
        assertThat(api.call("GetBackendLogs", "{\"backend_id\":" + control + "}").toString()).doesNotContain(token);
        assertThat(logs.list).isNotEmpty().allSatisfy(event -> {
            assertThat(event.getFormattedMessage()).doesNotContain(token);
            assertThat(String.valueOf(event.getThrowableProxy() == null ? "" : event.getThrowableProxy().getMessage()))
                    .doesNotContain(token);
        });
    }

    @Test
    void malformedHeaderSettingsAreRefusedAtEditTimeWithoutQuotingTheSecret() {
        old.putBackend(new OldSwarmStandIn.Backend(0, "comfyui_api", "running", "old gpu", List.of("comfyui"), 1, null));
        int control = add(api, "swarmswarmbackend", "old box", "{\"Address\":\"" + old.baseUrl() + "\"}");
        awaitStatus(api, control, "running");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(children(api, control)).hasSize(1));
        int childId = children(api, control).get(0).get("id").getAsInt();

        JsonObject badAuth = edit(api, control, "old box", "{\"AuthorizationHeader\":\"s3cr3t-t0ken-9f1c\"}");
        assertThat(badAuth.get("error").getAsString()).contains("AuthorizationHeader").doesNotContain("s3cr3t");
        JsonObject badHeaders = edit(api, control, "old box", "{\"OtherHeaders\":\"X-Good: yes\\nno colon here\"}");
        assertThat(badHeaders.get("error").getAsString()).contains("OtherHeaders line 2", "Name: value");
        JsonObject badAddress = edit(api, control, "old box", "{\"Address\":\"ftp://" + quote("host") + "\"}");
        assertThat(badAddress.get("error").getAsString()).contains("Address", "http://");

        assertThat(view(api, control).get("settings").getAsJsonObject().get("Address").getAsString()).isEqualTo(old.baseUrl());
        assertThat(view(api, childId).get("status").getAsString()).as("nothing changed").isEqualTo("running");
    }

    @Test
    void aRemoteErrorBecomesTheStatusMessageAndTheMirrorReturnsWhenItClears() {
        old.putBackend(new OldSwarmStandIn.Backend(0, "comfyui_api", "running", "old gpu", List.of("comfyui"), 1, null));
        int control = add(api, "swarmswarmbackend", "old box", "{\"Address\":\"" + old.baseUrl() + "\"}");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(children(api, control)).hasSize(1));
        int childId = children(api, control).get(0).get("id").getAsInt();

        old.failRoute("ListBackends", "You do not have permission to view backends.");
        awaitStatus(api, childId, "errored");
        String expected = "Remote Swarm server at " + old.baseUrl() + " answered: You do not have permission to view backends.";
        assertThat(view(api, childId).get("status_message").getAsString()).isEqualTo(expected);
        assertThat(view(api, control).get("status_message").getAsString()).startsWith(expected);

        old.failRoute("ListBackends", null);
        await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> {
            assertThat(view(api, childId)).as("the errored child is replaced").isNull();
            assertThat(children(api, control)).singleElement().satisfies(child ->
                    assertThat(child.get("status").getAsString()).isEqualTo("running"));
        });
        awaitStatus(api, control, "running");
    }

    @Test
    void aRemoteThatStallsDuringReSyncTakesTheChildrenOutOfRunningWithinTimeoutAndOnePeriod() {
        old.putBackend(new OldSwarmStandIn.Backend(0, "comfyui_api", "running", "old gpu", List.of("comfyui"), 1, null));
        int control = add(api, "swarmswarmbackend", "old box", "{\"Address\":\"" + old.baseUrl()
                + "\",\"AllowIdle\":true,\"ConnectionAttemptTimeoutSeconds\":2}");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(children(api, control)).hasSize(1));
        int childId = children(api, control).get(0).get("id").getAsInt();
        awaitStatus(api, childId, "running");

        old.stallRoute("ListBackends");
        long stalled = System.nanoTime();
        awaitStatus(api, childId, "idle");
        // 2 s deadline + 2 s period, with room for a loaded machine.
        assertThat((System.nanoTime() - stalled) / 1_000_000).isLessThan(12_000);
        assertThat(view(api, childId).get("status_message").getAsString()).contains("did not answer ListBackends");
        assertThat(api.call("ListBackends").keySet()).as("the server itself keeps answering").isNotEmpty();

        old.stallRoute(null);
        awaitStatus(api, childId, "running");
        assertThat(children(api, control)).hasSize(1);
    }

    @Test
    void withoutForwardingTheRemotesOwnSwarmBackendsAreNotMirrored() {
        old.putBackend(new OldSwarmStandIn.Backend(0, "comfyui_api", "running", "own gpu", List.of("comfyui"), 1, null));
        old.putBackend(new OldSwarmStandIn.Backend(1, "swarmswarmbackend", "running", "borrowed", List.of("comfyui"), 1, null));
        int forwarding = add(api, "swarmswarmbackend", "all", "{\"Address\":\"" + old.baseUrl() + "\"}");
        int direct = add(api, "swarmswarmbackend", "direct", "{\"Address\":\"" + old.baseUrl() + "\",\"AllowForwarding\":false}");
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(children(api, forwarding)).hasSize(2);
            assertThat(children(api, direct)).hasSize(1);
        });
        assertThat(children(api, direct).get(0).get("title").getAsString()).endsWith("] own gpu");
    }

    @Test
    void aRemoteThatAcceptsButNeverAnswersFailsWithinItsTimeoutAndHoldsNoThread() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = holdConnections(silent, null);
            assertStalledRemoteFails(silent.getLocalPort(), "did not answer");
            acceptor.interrupt();
        }
    }

    @Test
    void aRemoteThatStallsMidBodyFailsWithinItsTimeoutAndHoldsNoThread() throws Exception {
        try (ServerSocket halfway = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = holdConnections(halfway, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 4000\r\n\r\n{\"session_id\":\"");
            assertStalledRemoteFails(halfway.getLocalPort(), "did not answer");
            acceptor.interrupt();
        }
    }

    private void assertStalledRemoteFails(int port, String expected) {
        int control = add(api, "swarmswarmbackend", "stalled", "{\"Address\":\"http://127.0.0.1:" + port
                + "\",\"ConnectionAttemptTimeoutSeconds\":2}");
        long started = System.nanoTime();
        awaitStatus(api, control, "errored");
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        // The 2 s deadline plus one re-sync period, with room for a loaded machine.
        assertThat(tookMs).isLessThan(15_000);
        assertThat(view(api, control).get("status_message").getAsString()).contains(expected, "127.0.0.1:" + port);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(SwarmServers.threadsInSwarmPlugin()).isEmpty());
    }

    /** Accepts connections and keeps them open; with a preamble, reads the request head and sends it. */
    private Thread holdConnections(ServerSocket server, String preamble) {
        Thread thread = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    heldSockets.add(socket);
                    if (preamble != null) {
                        readHead(socket.getInputStream());
                        OutputStream out = socket.getOutputStream();
                        out.write(preamble.getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    }
                } catch (IOException e) {
                    return;
                }
            }
        }, "stalled-remote");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void readHead(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
        }
    }
}
