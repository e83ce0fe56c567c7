package dev.switchboard.plugins.comfyui.byaddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.api.BackendStatus;
import dev.switchboard.api.settings.Settings;
import dev.switchboard.plugins.comfyui.connection.ComfyUiException;
import dev.switchboard.plugins.comfyui.connection.ComfyUiTimeouts;
import dev.switchboard.testkit.backends.TestingBackendContext;
import dev.switchboard.testkit.remote.StallingServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The periodic health probe of {@code comfyui_api} (R5) against a remote that dies in the three ways that hurt:
 * it stops answering (blackholed), refuses connections, or sends the headers and then one byte per long interval.
 * In each case the backend leaves {@code running} (or {@code loading}) within the probe deadline plus one period,
 * never has more than one probe in flight, and the remote sees every abandoned probe's connection closed.
 */
final class ComfyUiHealthProbeTest {
    private static final Duration PROBE_DEADLINE = Duration.ofMillis(800);
    private static final Duration PROBE_PERIOD = Duration.ofMillis(300);
    private static final Duration LOAD_DEADLINE = Duration.ofMillis(1500);
    /** Generous for a loaded 2-core machine; the bound that matters is checked separately below. */
    private static final Duration MARGIN = Duration.ofSeconds(5);
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final Duration ONE_BYTE_A_MINUTE = Duration.ofMinutes(1);
    private static final String JSON = "application/json; charset=utf-8";
    /** Long enough that a trickled answer never completes within any deadline here. */
    private static final String PADDED_OBJECT = "{\"pad\":\"" + "x".repeat(200) + "\"}";

    private final StallingServer remote = StallingServer.start();
    private final List<TestingBackendContext> contexts = new ArrayList<>();
    private final List<ComfyUiApiBackend> backends = new ArrayList<>();

    @AfterEach
    void tearDown() {
        backends.forEach(ComfyUiApiBackend::shutdown);
        contexts.forEach(TestingBackendContext::close);
        remote.close();
    }

    @Test
    void aRunningBackendErrorsWhenTheRemoteStopsAnswering() throws Exception {
        TestingBackendContext context = context(false);
        runningBackend(context);

        remote.blackhole();
        long left = timeUntil(context, BackendStatus.ERRORED);

        assertThat(context.statusMessage()).isEqualTo("ComfyUI at " + remote.baseUrl() + " stopped answering: ComfyUI at "
                + remote.baseUrl() + " did not answer GET /features within 800 ms. Restart the backend (or turn it off"
                + " and on) once ComfyUI is back, or enable AllowIdle to wait for it automatically.");
        assertLeftWithinDeadlinePlusPeriod("blackholed, running", left);
        assertProbesWereAbandonedOneAtATime();
    }

    @Test
    void aRunningBackendErrorsWhenTheRemoteRefusesConnections() throws Exception {
        TestingBackendContext context = context(false);
        runningBackend(context);
        String address = remote.baseUrl();

        remote.close();
        long left = timeUntil(context, BackendStatus.ERRORED);

        // A probe in flight when the port closed is cut ("Lost the connection"); the next one is refused.
        assertThat(context.statusMessage()).startsWith("ComfyUI at " + address + " stopped answering: ")
                .containsAnyOf("Could not connect to ComfyUI at " + address + ": connection refused.",
                        "Lost the connection to ComfyUI at " + address + " during GET /features")
                .containsPattern("[.?] Restart the backend \\(or turn it off and on\\) once ComfyUI is back, or enable"
                        + " AllowIdle to wait for it automatically\\.$");
        assertLeftWithinDeadlinePlusPeriod("refusing, running", left);
    }

    @Test
    void aRunningBackendErrorsWhenTheRemoteTricklesItsAnswer() throws Exception {
        TestingBackendContext context = context(false);
        runningBackend(context);

        remote.trickle(ONE_BYTE_A_MINUTE, JSON, PADDED_OBJECT);
        long left = timeUntil(context, BackendStatus.ERRORED);

        assertThat(context.statusMessage()).contains("stopped answering: ComfyUI at " + remote.baseUrl()
                + " did not answer GET /features within 800 ms.");
        assertLeftWithinDeadlinePlusPeriod("trickling, running", left);
        assertProbesWereAbandonedOneAtATime();
    }

    @Test
    void withAllowIdleABlackholedRemoteIdlesWithOneProbeAtATimeAndRecovers() throws Exception {
        TestingBackendContext context = context(true);
        runningBackend(context);

        remote.blackhole();
        long left = timeUntil(context, BackendStatus.IDLE);
        assertLeftWithinDeadlinePlusPeriod("blackholed, running, AllowIdle", left);
        assertThat(context.statusMessage()).isEqualTo("ComfyUI at " + remote.baseUrl()
                + " did not answer GET /features within 800 ms. Checking again every 300 ms.");
        // Several probe rounds against the dead remote: they must never overlap or pile up.
        int before = probes();
        await().atMost(PATIENCE).until(() -> probes() >= before + 4);
        assertThat(remote.mostOpenExchanges()).isEqualTo(1);

        remote.answer(JSON, "{}");
        await().atMost(PATIENCE).until(() -> context.status() == BackendStatus.RUNNING);
        assertThat(context.statusMessage()).startsWith("Connected: ");
        assertThat(remote.mostOpenExchanges()).isEqualTo(1);
    }

    @Test
    void withAllowIdleATricklingRemoteIdles() throws Exception {
        TestingBackendContext context = context(true);
        runningBackend(context);

        remote.trickle(ONE_BYTE_A_MINUTE, JSON, PADDED_OBJECT);
        long left = timeUntil(context, BackendStatus.IDLE);

        assertLeftWithinDeadlinePlusPeriod("trickling, running, AllowIdle", left);
        int before = probes();
        await().atMost(PATIENCE).until(() -> probes() >= before + 3);
        assertThat(remote.mostOpenExchanges()).isEqualTo(1);
    }

    @Test
    void initAgainstABlackholedRemoteFailsWithinTheLoadDeadline() {
        remote.blackhole();
        assertInitFailsWithinTheLoadDeadline("blackholed, loading");
    }

    @Test
    void initAgainstATricklingRemoteFailsWithinTheLoadDeadline() {
        remote.trickle(ONE_BYTE_A_MINUTE, JSON, PADDED_OBJECT);
        assertInitFailsWithinTheLoadDeadline("trickling, loading");
    }

    @Test
    void noProbeIsLeftBehindOnceTheBackendIsShutDown() throws Exception {
        TestingBackendContext context = context(true);
        ComfyUiApiBackend backend = runningBackend(context);
        remote.blackhole();
        await().atMost(PATIENCE).until(() -> remote.openExchanges() == 1);

        backend.shutdown();

        await().atMost(PATIENCE).until(() -> remote.openExchanges() == 0);
        await().atMost(PATIENCE).until(() -> liveClientThreads().isEmpty());
    }

    private void assertInitFailsWithinTheLoadDeadline(String scenario) {
        TestingBackendContext context = context(false);
        ComfyUiApiBackend backend = backend(context);

        long started = System.nanoTime();
        assertThatThrownBy(backend::init).isInstanceOf(ComfyUiException.class)
                .hasMessage("ComfyUI at " + remote.baseUrl() + " did not answer GET /object_info within 1500 ms.");
        long took = Duration.ofNanos(System.nanoTime() - started).toMillis();

        System.out.printf("R5 %s: init gave up after %d ms (load deadline %d ms)%n", scenario, took,
                LOAD_DEADLINE.toMillis());
        assertThat(context.status()).isEqualTo(BackendStatus.LOADING);
        assertThat(took).isLessThan(LOAD_DEADLINE.plus(MARGIN).toMillis());
        // The host turns the thrown init into retries and then errored; here: the abandoned call is really gone.
        await().atMost(PATIENCE).until(() -> remote.openExchanges() == 0);
        assertThat(remote.mostOpenExchanges()).isEqualTo(1);
    }

    /** Every probe the remote saw was closed by the client within its deadline, and none overlapped. */
    private void assertProbesWereAbandonedOneAtATime() {
        await().atMost(PROBE_DEADLINE.plus(MARGIN)).until(() -> remote.openExchanges() == 0);
        assertThat(remote.mostOpenExchanges()).isEqualTo(1);
        // The client's threads only dispatch callbacks; none may be stuck in a probe.
        assertThat(liveClientThreads()).allSatisfy(thread -> assertThat(thread.getState())
                .isIn(Thread.State.WAITING, Thread.State.TIMED_WAITING));
    }

    private static void assertLeftWithinDeadlinePlusPeriod(String scenario, long tookMillis) {
        long bound = PROBE_DEADLINE.plus(PROBE_PERIOD).toMillis();
        System.out.printf("R5 %s: left running after %d ms (probe deadline + period = %d ms)%n", scenario, tookMillis,
                bound);
        assertThat(tookMillis).isLessThan(bound + MARGIN.toMillis());
    }

    private static long timeUntil(TestingBackendContext context, BackendStatus status) {
        long started = System.nanoTime();
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(10)).until(() -> context.status() == status);
        return Duration.ofNanos(System.nanoTime() - started).toMillis();
    }

    private int probes() {
        return (int) remote.requestLines().stream().filter(line -> line.startsWith("GET /features ")).count();
    }

    private static List<Thread> liveClientThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("comfyui-http-") && thread.isAlive())
                .toList();
    }

    private ComfyUiApiBackend runningBackend(TestingBackendContext context) throws Exception {
        remote.answer(JSON, "{}");
        ComfyUiApiBackend backend = backend(context);
        backend.init();
        assertThat(context.status()).isEqualTo(BackendStatus.RUNNING);
        await().atMost(PATIENCE).until(() -> probes() >= 1);
        return backend;
    }

    private ComfyUiApiBackend backend(TestingBackendContext context) {
        ComfyUiApiBackend backend = new ComfyUiApiBackend(context, new ComfyUiTimeouts(PROBE_DEADLINE, LOAD_DEADLINE,
                PROBE_DEADLINE, PROBE_PERIOD, LOAD_DEADLINE));
        backends.add(backend);
        return backend;
    }

    private TestingBackendContext context(boolean allowIdle) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put(ComfyUiApiSettings.ADDRESS, remote.baseUrl());
        values.put(ComfyUiApiSettings.ALLOW_IDLE, allowIdle);
        values.put(ComfyUiApiSettings.OVER_QUEUE, 1L);
        values.put(ComfyUiApiSettings.ENABLE_FRONTEND_DEV, false);
        TestingBackendContext context = new TestingBackendContext(new Settings(ComfyUiApiSettings.SCHEMA, values));
        contexts.add(context);
        return context;
    }
}
