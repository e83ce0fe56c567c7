package dev.switchboard.plugins.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The moments of a gated call that no lease can be made to hit on purpose, set up by hand against a real server:
 * a call whose outcome is settled just as its turn comes, and a line the client refuses at once.
 */
final class GatedExchangeTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final BoundedBodyHandler BODY = new BoundedBodyHandler(100);

    private final HoldingServer server = new HoldingServer();
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final HttpClient client = HttpClient.newBuilder().executor(executor)
            .version(HttpClient.Version.HTTP_1_1).build();

    @AfterEach
    void tearDown() {
        executor.shutdownNow();
        server.close();
    }

    @Test
    void aCallEndedJustAsItsTurnComesIsNotSentAndPassesTheSlotOn() throws Exception {
        AddressGates<GatedExchange<?>> gates = new AddressGates<>(1);
        GatedExchange<byte[]> first = call(gates, client, "/held/first");
        first.submit();
        await().atMost(PATIENCE).until(() -> server.held() == 1);
        GatedExchange<byte[]> ended = call(gates, client, "/held/ended");
        ended.submit();
        GatedExchange<byte[]> next = call(gates, client, "/held/next");
        next.submit();

        // Its outcome is settled but it is still in line: a lease's hook would take it out right after this.
        ended.result().cancel(true);
        server.answer(1);

        assertThat(new String(first.result().get(PATIENCE.toSeconds(), TimeUnit.SECONDS).body())).isEqualTo("ok");
        await().atMost(PATIENCE).until(() -> server.received("/held/next") == 1);
        server.answerAll();
        assertThat(new String(next.result().get(PATIENCE.toSeconds(), TimeUnit.SECONDS).body())).isEqualTo("ok");
        assertThat(server.paths()).containsExactly("/held/first", "/held/next");
        await().atMost(PATIENCE).until(() -> gates.addresses() == 0);
    }

    @Test
    void aLongLineThatTheClientRefusesAtOnceIsWorkedThroughWithoutRecursingAndLeavesNoSlotTaken() throws Exception {
        AddressGates<GatedExchange<?>> gates = new AddressGates<>(1);
        GatedExchange<byte[]> first = call(gates, client, "/held/first");
        first.submit();
        await().atMost(PATIENCE).until(() -> server.held() == 1);
        // A client whose executor is shut down refuses every call as it is sent.
        ExecutorService gone = Executors.newSingleThreadExecutor();
        gone.shutdown();
        HttpClient refusing = HttpClient.newBuilder().executor(gone).build();
        List<GatedExchange<byte[]>> line = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            GatedExchange<byte[]> waiting = call(gates, refusing, "/held/refused/" + i);
            waiting.submit();
            line.add(waiting);
        }
        assertThat(line).noneMatch(waiting -> waiting.result().isDone());

        server.answerAll();

        assertThat(new String(first.result().get(PATIENCE.toSeconds(), TimeUnit.SECONDS).body())).isEqualTo("ok");
        for (GatedExchange<byte[]> refused : line) {
            assertThat(catchThrowable(() -> refused.result().get(PATIENCE.toSeconds(), TimeUnit.SECONDS)))
                    .isInstanceOf(ExecutionException.class).cause()
                    .isInstanceOf(RejectedExecutionException.class);
        }
        await().atMost(PATIENCE).until(() -> gates.addresses() == 0);
        assertThat(server.received("/held/refused/")).isZero();
    }

    @Test
    void anAddressIsItsSchemeHostAndPort() {
        assertThat(GatedExchange.addressOf(URI.create("http://GPU1:8188/prompt?x=1")))
                .isEqualTo("http://gpu1:8188");
        assertThat(GatedExchange.addressOf(URI.create("HTTP://gpu1/api/x"))).isEqualTo("http://gpu1:80");
        assertThat(GatedExchange.addressOf(URI.create("https://gpu1/api/x"))).isEqualTo("https://gpu1:443");
        assertThat(GatedExchange.addressOf(URI.create("http://[::1]:7801/API/x"))).isEqualTo("http://[::1]:7801");
    }

    @Test
    void aBoundBelowOneAndASlotGivenBackTwiceAreRefused() {
        assertThatThrownBy(() -> new AddressGates<GatedExchange<?>>(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SharedHttpClient(Duration.ofSeconds(1), "x", 0))
                .isInstanceOf(IllegalArgumentException.class);
        AddressGates<GatedExchange<?>> gates = new AddressGates<>(1);
        assertThatThrownBy(() -> gates.release("http://gpu1:8188")).isInstanceOf(IllegalStateException.class);
    }

    private GatedExchange<byte[]> call(AddressGates<GatedExchange<?>> gates, HttpClient sender, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).build();
        return new GatedExchange<>(gates, sender, request, BODY);
    }
}
