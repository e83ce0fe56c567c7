package dev.switchboard.plugins.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.api.BackendStatus;
import dev.switchboard.testkit.backends.SpawnedChild;
import dev.switchboard.testkit.backends.TestingBackendContext;
import dev.switchboard.testkit.remote.StallingServer;
import dev.switchboard.testkit.swarm.OldSwarmStandIn;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The control backend against remotes that are not (yet) what it needs, over real sockets: answers that are
 * not a Swarm session, not JSON or far too large, an unknown host, backends still loading, and a shutdown
 * before it connected or while it waits. Without {@code AllowIdle} a first connection that fails leaves it errored with the
 * reason.
 */
final class SwarmControlFailuresTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String JSON = "application/json; charset=utf-8";

    @RegisterExtension
    final Controls controls = new Controls();
    private final StallingServer remote = controls.remote();

    @Test
    void aSessionAnswerWithoutASessionIdIsErrored() throws Exception {
        remote.answer(JSON, "{\"server_id\":\"remote-server\",\"version\":\"0.9.6\"}");

        TestingBackendContext context = initialised(remote.baseUrl());

        assertThat(context.status()).isEqualTo(BackendStatus.ERRORED);
        assertThat(context.statusMessage()).isEqualTo("Remote Swarm server at " + remote.baseUrl()
                + " answered GetNewSession without a session_id. Is it a Swarm server?");
        assertThat(remote.requestLines()).containsExactly("POST /API/GetNewSession HTTP/1.1");
    }

    @Test
    void anAnswerThatIsNotJsonIsErroredQuotingItsStart() throws Exception {
        remote.answer("text/html", "<html><body>502 Bad Gateway\n" + "x".repeat(200) + "</body></html>");

        TestingBackendContext context = initialised(remote.baseUrl());

        assertThat(context.status()).isEqualTo(BackendStatus.ERRORED);
        assertThat(context.statusMessage()).isEqualTo("Remote Swarm server at " + remote.baseUrl()
                + " answered GetNewSession with something that is not a JSON object: <html><body>502 Bad Gateway "
                + "x".repeat(52) + "...");
    }

    @Test
    void anAnswerLargerThanTheLimitIsRefusedWhileItIsRead() throws Exception {
        remote.flood(JSON, SwarmHttp.MAX_BODY_BYTES + 1);

        TestingBackendContext context = initialised(remote.baseUrl());

        assertThat(context.status()).isEqualTo(BackendStatus.ERRORED);
        assertThat(context.statusMessage()).isEqualTo("Remote Swarm server at " + remote.baseUrl()
                + " answered GetNewSession with too much data: response body exceeds " + SwarmHttp.MAX_BODY_BYTES
                + " bytes.");
        await().atMost(PATIENCE).until(() -> remote.openExchanges() == 0);
    }

    @Test
    void anUnknownHostIsSaidToBeUnknown() throws Exception {
        TestingBackendContext context = initialised("http://no-such-host.invalid:7801");

        assertThat(context.status()).isEqualTo(BackendStatus.ERRORED);
        assertThat(context.statusMessage()).isEqualTo("Could not connect to the remote Swarm server at "
                + "http://no-such-host.invalid:7801: the host name no-such-host.invalid is unknown. Is the address"
                + " right?");
    }

    @Test
    void initWaitsWhileTheRemotesBackendsAreStillLoadingAndTheControlSaysSo() throws Exception {
        try (OldSwarmStandIn swarm = OldSwarmStandIn.start()) {
            swarm.putBackend(new OldSwarmStandIn.Backend(0, "comfyui_selfstart", "loading", "gpu", List.of("comfyui"),
                    1, null));
            swarm.putBackend(new OldSwarmStandIn.Backend(1, "comfyui_api", "running", "cpu", List.of("comfyui"),
                    1, null));
            TestingBackendContext context = context(swarm.baseUrl());
            SwarmControlBackend backend = controls.control(context);

            CompletableFuture<Void> init = initInBackground(backend);

            await().atMost(PATIENCE).until(() -> swarm.calls("ListBackends").size() >= 2);
            assertThat(init).as("init while a remote backend loads").isNotDone();
            assertThat(context.status()).isEqualTo(BackendStatus.LOADING);
            assertThat(context.statusMessage()).isEqualTo("Connected to " + swarm.baseUrl()
                    + "; waiting for its backends that are still loading.");
            assertThat(context.recordedChildren().live()).extracting(SpawnedChild::title)
                    .containsExactly("[Remote from 0: ] cpu");

            swarm.putBackend(new OldSwarmStandIn.Backend(0, "comfyui_selfstart", "running", "gpu", List.of("comfyui"),
                    1, null));

            init.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertThat(context.status()).isEqualTo(BackendStatus.RUNNING);
            assertThat(context.statusMessage()).isEqualTo("Connected to " + swarm.baseUrl()
                    + "; mirroring 2 running backends.");
            assertThat(context.recordedChildren().live()).extracting(SpawnedChild::title)
                    .containsExactlyInAnyOrder("[Remote from 0: ] cpu", "[Remote from 0: ] gpu");
        }
    }

    @Test
    void aShutdownWhileInitWaitsForLoadingBackendsEndsInit() throws Exception {
        try (OldSwarmStandIn swarm = OldSwarmStandIn.start()) {
            swarm.putBackend(new OldSwarmStandIn.Backend(0, "comfyui_selfstart", "loading", "gpu", List.of(), 1, null));
            TestingBackendContext context = context(swarm.baseUrl());
            SwarmControlBackend backend = controls.control(context);
            CompletableFuture<Void> init = initInBackground(backend);
            await().atMost(PATIENCE).until(() -> context.status() == BackendStatus.LOADING
                    && context.statusMessage().endsWith("still loading."));

            backend.shutdown();

            init.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            int calls = swarm.calls().size();
            await().during(Duration.ofMillis(500)).atMost(PATIENCE)
                    .until(() -> swarm.calls().size() == calls);
        }
    }

    private static CompletableFuture<Void> initInBackground(SwarmControlBackend backend) {
        return CompletableFuture.runAsync(() -> {
            try {
                backend.init();
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
    }

    @Test
    void aControlShutDownBeforeItConnectedNeverContactsTheRemote() {
        remote.answer(JSON, "{\"session_id\":\"s\",\"server_id\":\"remote-server\"}");
        TestingBackendContext context = context(remote.baseUrl());
        SwarmControlBackend backend = controls.control(context);

        backend.shutdown();

        assertThatThrownBy(backend::init).isInstanceOf(IllegalStateException.class)
                .hasMessage("The backend was shut down before it could connect.");
        assertThat(context.statusHistory()).isEmpty();
        assertThat(remote.requestLines()).isEmpty();
    }

    private TestingBackendContext initialised(String address) throws Exception {
        TestingBackendContext context = context(address);
        controls.control(context).init();
        return context;
    }

    private TestingBackendContext context(String address) {
        return controls.context(Map.of(SwarmSettings.ADDRESS, address,
                SwarmSettings.CONNECTION_ATTEMPT_TIMEOUT_SECONDS, 10L));
    }
}
