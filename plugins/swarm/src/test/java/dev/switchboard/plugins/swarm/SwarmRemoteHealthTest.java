package dev.switchboard.plugins.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.api.BackendStatus;
import dev.switchboard.testkit.backends.TestingBackendContext;
import dev.switchboard.testkit.remote.StallingServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The control backend's re-sync (every 2 s) against a remote that dies while it runs (R5): blackholed,
 * trickling its answer or refusing connections. The control leaves {@code running} within its call deadline
 * ({@code ConnectionAttemptTimeoutSeconds}, here 1 s) plus one period, never has more than one call in flight,
 * and the remote sees every abandoned call's connection closed.
 */
final class SwarmRemoteHealthTest {
    private static final Duration DEADLINE_PLUS_PERIOD = Duration.ofSeconds(3);
    private static final Duration MARGIN = Duration.ofSeconds(7);
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String JSON = "application/json";
    /** Serves as both answers the control needs: GetNewSession's, and an empty ListBackends (no object entries). */
    private static final String HEALTHY_ANSWER = "{\"session_id\":\"remote-session\",\"server_id\":\"remote-server\"}";

    @RegisterExtension
    final Controls controls = new Controls();
    private final StallingServer remote = controls.remote();

    @Test
    void aBlackholedRemoteTakesTheControlOutOfRunningWithOneCallAtATime() throws Exception {
        TestingBackendContext context = runningControl(false);

        remote.blackhole();
        long took = millisUntilNot(context, BackendStatus.RUNNING);

        report("blackholed", took);
        assertThat(context.status()).isEqualTo(BackendStatus.LOADING);
        assertThat(context.statusMessage()).contains("did not answer ListBackends", "Reconnecting every 2 s");
        int before = calls();
        await().atMost(PATIENCE).until(() -> calls() >= before + 2);
        assertCallsWereAbandonedOneAtATime();
    }

    @Test
    void aTricklingRemoteTakesTheControlOutOfRunning() throws Exception {
        TestingBackendContext context = runningControl(false);

        remote.trickle(Duration.ofMinutes(1), JSON, HEALTHY_ANSWER);
        long took = millisUntilNot(context, BackendStatus.RUNNING);

        report("trickling", took);
        assertThat(context.statusMessage()).contains("did not answer ListBackends");
        assertCallsWereAbandonedOneAtATime();
    }

    @Test
    void aRefusingRemoteTakesTheControlOutOfRunning() throws Exception {
        TestingBackendContext context = runningControl(false);

        remote.close();
        long took = millisUntilNot(context, BackendStatus.RUNNING);

        report("refusing", took);
        assertThat(context.status()).isEqualTo(BackendStatus.LOADING);
    }

    @Test
    void withAllowIdleABlackholedRemoteIdlesTheControlAndItComesBack() throws Exception {
        TestingBackendContext context = runningControl(true);

        remote.blackhole();
        long took = millisUntilNot(context, BackendStatus.RUNNING);

        report("blackholed, AllowIdle", took);
        assertThat(context.status()).isEqualTo(BackendStatus.IDLE);
        remote.answer(JSON, HEALTHY_ANSWER);
        await().atMost(PATIENCE).until(() -> context.status() == BackendStatus.RUNNING);
        assertThat(remote.mostOpenExchanges()).isEqualTo(1);
    }

    private void assertCallsWereAbandonedOneAtATime() {
        await().atMost(PATIENCE).until(() -> remote.openExchanges() <= 1);
        assertThat(remote.mostOpenExchanges()).isEqualTo(1);
    }

    private static void report(String scenario, long tookMillis) {
        System.out.printf("R5 swarm %s: control left running after %d ms (deadline + period = %d ms)%n", scenario,
                tookMillis, DEADLINE_PLUS_PERIOD.toMillis());
        assertThat(tookMillis).isLessThan(DEADLINE_PLUS_PERIOD.plus(MARGIN).toMillis());
    }

    private static long millisUntilNot(TestingBackendContext context, BackendStatus status) {
        long started = System.nanoTime();
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(10)).until(() -> context.status() != status);
        return Duration.ofNanos(System.nanoTime() - started).toMillis();
    }

    private int calls() {
        return remote.requestLines().size();
    }

    private TestingBackendContext runningControl(boolean allowIdle) throws Exception {
        remote.answer(JSON, HEALTHY_ANSWER);
        TestingBackendContext context = controls.context(Map.of(SwarmSettings.ADDRESS, remote.baseUrl(),
                SwarmSettings.ALLOW_IDLE, allowIdle, SwarmSettings.CONNECTION_ATTEMPT_TIMEOUT_SECONDS, 1L));
        controls.control(context).init();
        assertThat(context.status()).isEqualTo(BackendStatus.RUNNING);
        await().atMost(PATIENCE).until(() -> calls() >= 3);
        return context;
    }
}
