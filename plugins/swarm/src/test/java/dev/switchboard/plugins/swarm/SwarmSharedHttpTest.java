package dev.switchboard.plugins.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.api.BackendStatus;
import dev.switchboard.testkit.backends.TestingBackendContext;
import dev.switchboard.testkit.remote.StallingServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The control backends a {@code swarmswarmbackend} type creates share its HTTP client (issue 21): backends with the
 * same {@code ConnectionAttemptTimeoutSeconds} lease one client, one with another timeout gets a second (the JDK sets
 * the connect timeout per client), a backend shut down gives its lease back while the others keep re-syncing, and
 * shutting them all down ends every client's threads.
 */
final class SwarmSharedHttpTest {
    private static final int BACKENDS = 4;
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    /** Serves as both answers a control needs: GetNewSession's, and an empty ListBackends (no object entries). */
    private static final String HEALTHY_ANSWER = "{\"session_id\":\"remote-session\",\"server_id\":\"remote-server\"}";

    private final StallingServer remote = StallingServer.start();
    private final SwarmBackendType type = new SwarmBackendType();
    private final List<TestingBackendContext> contexts = new ArrayList<>();
    private final List<SwarmControlBackend> backends = new ArrayList<>();

    @AfterEach
    void tearDown() {
        backends.forEach(SwarmControlBackend::shutdown);
        contexts.forEach(TestingBackendContext::close);
        remote.close();
    }

    @Test
    void controlsWithTheSameTimeoutLeaseOneClientAndTheLastShutdownReleasesIt() throws Exception {
        remote.answer("application/json", HEALTHY_ANSWER);
        for (int i = 0; i < BACKENDS; i++) {
            runningControl(5);
        }
        assertThat(type.clients().leases()).isEqualTo(BACKENDS);
        assertThat(type.clients().clientsInUse()).as("one client for %d controls", BACKENDS).isEqualTo(1);

        runningControl(7);
        assertThat(type.clients().clientsInUse()).as("another connect timeout, another client").isEqualTo(2);

        backends.get(0).shutdown();

        assertThat(type.clients().leases()).isEqualTo(BACKENDS);
        int before = remote.requestLines().size();
        // Each of the others re-syncs every 2 s through the client it still shares.
        await().atMost(PATIENCE).until(() -> remote.requestLines().size() >= before + 2 * BACKENDS);
        assertThat(contexts.subList(1, contexts.size())).allSatisfy(context ->
                assertThat(context.status()).isEqualTo(BackendStatus.RUNNING));

        backends.forEach(SwarmControlBackend::shutdown);

        assertThat(type.clients().leases()).isZero();
        assertThat(type.clients().clientsInUse()).isZero();
        await().atMost(PATIENCE).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(thread -> thread.isAlive() && thread.getName().startsWith("swarm-http-")));
    }

    private void runningControl(long timeoutSeconds) throws Exception {
        TestingBackendContext context = new TestingBackendContext(SwarmBackendTypeTest.settings(Map.of(
                SwarmSettings.ADDRESS, remote.baseUrl(), SwarmSettings.CONNECTION_ATTEMPT_TIMEOUT_SECONDS,
                timeoutSeconds)));
        contexts.add(context);
        SwarmControlBackend control = (SwarmControlBackend) type.create(context);
        backends.add(control);
        control.init();
        assertThat(context.status()).as(context.statusMessage()).isEqualTo(BackendStatus.RUNNING);
    }
}
