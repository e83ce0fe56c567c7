package dev.switchboard.plugins.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The bound on calls in flight per address, against real servers over real sockets. */
final class SharedHttpClientBoundTest {
    private static final String PREFIX = "shared-http-bound-test";
    /** Bounds every wait, so a call that never completes fails the test instead of stalling the build. */
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final BoundedBodyHandler BODY = new BoundedBodyHandler(100);

    private final HoldingServer server = new HoldingServer();
    private final List<SharedHttpClient.Lease> leases = new ArrayList<>();

    @AfterEach
    void tearDown() {
        leases.forEach(SharedHttpClient.Lease::close);
        server.close();
    }

    @Test
    void callsBeyondTheBoundWaitTheirTurnOnNoMoreConnectionsThanTheBoundAndAllComplete() throws Exception {
        int bound = 3;
        SharedHttpClient shared = new SharedHttpClient(Duration.ofSeconds(5), PREFIX, bound);
        SharedHttpClient.Lease first = lease(shared);
        SharedHttpClient.Lease second = lease(shared);
        List<CompletableFuture<HttpResponse<byte[]>>> calls = new ArrayList<>();
        for (int i = 0; i < 5 * bound; i++) {
            calls.add((i % 2 == 0 ? first : second).send(get(server, "/held/" + i), BODY, PATIENCE));
        }

        await().atMost(PATIENCE).until(() -> server.held() == bound);
        assertThat(calls).noneMatch(CompletableFuture::isDone);
        server.answerAll();

        for (CompletableFuture<HttpResponse<byte[]>> call : calls) {
            assertThat(new String(call.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).body())).isEqualTo("ok");
        }
        assertThat(server.received("/held/")).isEqualTo(5L * bound);
        assertThat(server.mostOpenExchanges()).isEqualTo(bound);
        assertThat(server.mostOpenConnections()).isEqualTo(bound);
        assertThat(server.accepted()).isEqualTo(bound);
        await().atMost(PATIENCE).until(() -> shared.addressesInUse() == 0);
    }

    @Test
    void aSaturatedAddressDoesNotHoldUpAnother() throws Exception {
        SharedHttpClient shared = new SharedHttpClient(Duration.ofSeconds(5), PREFIX, 2);
        SharedHttpClient.Lease lease = lease(shared);
        try (HoldingServer other = new HoldingServer()) {
            List<CompletableFuture<HttpResponse<byte[]>>> saturating = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                saturating.add(lease.send(get(server, "/held/" + i), BODY, PATIENCE));
            }
            await().atMost(PATIENCE).until(() -> server.held() == 2);

            // Same host, another port: another address, with slots of its own.
            CompletableFuture<HttpResponse<byte[]>> elsewhere = lease.send(get(other, "/quick"), BODY, PATIENCE);

            assertThat(new String(elsewhere.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).body())).isEqualTo("ok");
            assertThat(saturating).noneMatch(CompletableFuture::isDone);
            server.answerAll();
            for (CompletableFuture<HttpResponse<byte[]>> call : saturating) {
                assertThat(new String(call.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).body())).isEqualTo("ok");
            }
        }
        await().atMost(PATIENCE).until(() -> shared.addressesInUse() == 0);
    }

    @Test
    void aCallWhoseDeadlinePassesWhileItWaitsFailsWithATimeoutAndIsNeverSent() throws Exception {
        SharedHttpClient shared = new SharedHttpClient(Duration.ofSeconds(5), PREFIX, 1);
        SharedHttpClient.Lease lease = lease(shared);
        CompletableFuture<HttpResponse<byte[]>> first = lease.send(get(server, "/held/first"), BODY, PATIENCE);
        await().atMost(PATIENCE).until(() -> server.held() == 1);

        CompletableFuture<HttpResponse<byte[]>> late = lease.send(get(server, "/held/late"), BODY,
                Duration.ofMillis(200));

        assertThat(catchThrowable(() -> late.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(TimeoutException.class);
        assertThat(first).isNotDone();
        server.answerAll();
        assertThat(new String(first.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).body())).isEqualTo("ok");
        // With one slot, the late call would have been sent before this one if it had been sent at all.
        lease.send(get(server, "/marker"), BODY, PATIENCE).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertThat(server.paths()).containsExactly("/held/first", "/marker");
        await().atMost(PATIENCE).until(() -> shared.addressesInUse() == 0);
    }

    @Test
    void aWaitingCallThatIsCancelledIsNeverSent() throws Exception {
        SharedHttpClient shared = new SharedHttpClient(Duration.ofSeconds(5), PREFIX, 1);
        SharedHttpClient.Lease lease = lease(shared);
        CompletableFuture<HttpResponse<byte[]>> first = lease.send(get(server, "/held/first"), BODY, PATIENCE);
        await().atMost(PATIENCE).until(() -> server.held() == 1);
        CompletableFuture<HttpResponse<byte[]>> cancelled = lease.send(get(server, "/held/cancelled"), BODY,
                PATIENCE);

        assertThat(cancelled.cancel(true)).isTrue();

        server.answerAll();
        assertThat(new String(first.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).body())).isEqualTo("ok");
        lease.send(get(server, "/marker"), BODY, PATIENCE).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertThat(server.paths()).containsExactly("/held/first", "/marker");
        await().atMost(PATIENCE).until(() -> shared.addressesInUse() == 0);
    }

    @Test
    void closingALeaseDropsItsWaitingCallsAndTheOthersKeepTheirTurnsFirstComeFirstServed() throws Exception {
        SharedHttpClient shared = new SharedHttpClient(Duration.ofSeconds(5), PREFIX, 1);
        SharedHttpClient.Lease a = lease(shared);
        SharedHttpClient.Lease b = lease(shared);
        SharedHttpClient.Lease c = lease(shared);
        CompletableFuture<HttpResponse<byte[]>> a1 = a.send(get(server, "/held/a1"), BODY, PATIENCE);
        await().atMost(PATIENCE).until(() -> server.held() == 1);
        CompletableFuture<HttpResponse<byte[]>> b1 = b.send(get(server, "/held/b1"), BODY, PATIENCE);
        CompletableFuture<HttpResponse<byte[]>> c1 = c.send(get(server, "/held/c1"), BODY, PATIENCE);
        CompletableFuture<HttpResponse<byte[]>> a2 = a.send(get(server, "/held/a2"), BODY, PATIENCE);
        CompletableFuture<HttpResponse<byte[]>> b2 = b.send(get(server, "/held/b2"), BODY, PATIENCE);
        CompletableFuture<HttpResponse<byte[]>> c2 = c.send(get(server, "/held/c2"), BODY, PATIENCE);

        b.close();

        for (CompletableFuture<HttpResponse<byte[]>> dropped : List.of(b1, b2)) {
            assertThat(catchThrowable(() -> dropped.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(CancellationException.class);
        }
        server.answerAll();
        for (CompletableFuture<HttpResponse<byte[]>> call : List.of(a1, c1, a2, c2)) {
            assertThat(new String(call.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).body())).isEqualTo("ok");
        }
        assertThat(server.paths()).containsExactly("/held/a1", "/held/c1", "/held/a2", "/held/c2");
        await().atMost(PATIENCE).until(() -> shared.addressesInUse() == 0);
    }

    @Test
    void closingALeaseCancelsItsCallInFlightAndTheSlotPassesToTheNextInLine() throws Exception {
        SharedHttpClient shared = new SharedHttpClient(Duration.ofSeconds(5), PREFIX, 1);
        SharedHttpClient.Lease closing = lease(shared);
        SharedHttpClient.Lease staying = lease(shared);
        CompletableFuture<HttpResponse<byte[]>> abandoned = closing.send(get(server, "/held/abandoned"), BODY,
                PATIENCE);
        await().atMost(PATIENCE).until(() -> server.held() == 1);
        CompletableFuture<HttpResponse<byte[]>> next = staying.send(get(server, "/held/next"), BODY, PATIENCE);

        closing.close();

        assertThat(catchThrowable(() -> abandoned.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(CancellationException.class);
        await().atMost(PATIENCE).until(() -> server.received("/held/next") == 1);
        server.answerAll();
        assertThat(new String(next.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).body())).isEqualTo("ok");
        await().atMost(PATIENCE).until(() -> shared.addressesInUse() == 0);
    }

    @Test
    void webSocketsOfTheLeasedClientAreNotCountedAgainstTheBound() throws Exception {
        SharedHttpClient shared = new SharedHttpClient(Duration.ofSeconds(5), PREFIX, 1);
        SharedHttpClient.Lease lease = lease(shared);
        CompletableFuture<HttpResponse<byte[]>> first = lease.send(get(server, "/held/first"), BODY, PATIENCE);
        await().atMost(PATIENCE).until(() -> server.held() == 1);

        WebSocket socket = lease.client().newWebSocketBuilder()
                .buildAsync(URI.create(server.baseUrl().replace("http:", "ws:") + "/ws"),
                        new WebSocket.Listener() { })
                .get(PATIENCE.toSeconds(), TimeUnit.SECONDS);

        socket.abort();
        assertThat(first).isNotDone();
        server.answerAll();
        assertThat(new String(first.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).body())).isEqualTo("ok");
    }

    @Test
    void noSlotIsLostHoweverTheCallsEndAndTheAddressIsForgottenWhenIdle() throws Exception {
        int bound = 4;
        SharedHttpClient shared = new SharedHttpClient(Duration.ofSeconds(5), PREFIX, bound);
        List<SharedHttpClient.Lease> senders = List.of(lease(shared), lease(shared), lease(shared));
        SharedHttpClient.Lease closedMidway = lease(shared);
        List<CompletableFuture<HttpResponse<byte[]>>> calls = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<CompletableFuture<HttpResponse<byte[]>>>>> batches = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                long seed = t;
                batches.add(threads.submit(() -> callsEndingEveryWay(seed, senders, closedMidway, 120)));
            }
            for (Future<List<CompletableFuture<HttpResponse<byte[]>>>> batch : batches) {
                calls.addAll(batch.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
            }
        } finally {
            threads.shutdownNow();
        }
        closedMidway.close();

        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).exceptionally(failure -> null)
                .get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        for (CompletableFuture<HttpResponse<byte[]>> call : calls) {
            Throwable failure = catchThrowable(call::join);
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                assertThat(cause).isInstanceOfAny(TimeoutException.class, CancellationException.class);
            }
        }
        assertThat(calls).anyMatch(call -> !call.isCompletedExceptionally());
        assertThat(calls).anyMatch(CompletableFuture::isCompletedExceptionally);
        await().atMost(PATIENCE).until(() -> shared.addressesInUse() == 0);

        // Every slot came back: the bound's worth of calls is in flight at once again, and one more waits.
        server.withdrawAnswers();
        SharedHttpClient.Lease after = senders.get(0);
        List<CompletableFuture<HttpResponse<byte[]>>> again = new ArrayList<>();
        for (int i = 0; i < bound + 1; i++) {
            again.add(after.send(get(server, "/held/again/" + i), BODY, PATIENCE));
        }
        await().atMost(PATIENCE).until(() -> server.received("/held/again/") == bound);
        assertThat(again).noneMatch(CompletableFuture::isDone);
        server.answerAll();
        for (CompletableFuture<HttpResponse<byte[]>> call : again) {
            assertThat(new String(call.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).body())).isEqualTo("ok");
        }
        assertThat(server.received("/held/again/")).isEqualTo(bound + 1L);
        await().atMost(PATIENCE).until(() -> shared.addressesInUse() == 0);
    }

    /**
     * Sends calls that end every way, several of them racing: held answers cut off by short deadlines (in flight
     * or still waiting), quick answers raced by a deadline of a millisecond or two or by a cancellation, plain
     * calls, calls of a lease the test closes with some in flight, and now and then an answer let go.
     */
    private List<CompletableFuture<HttpResponse<byte[]>>> callsEndingEveryWay(long seed,
            List<SharedHttpClient.Lease> senders, SharedHttpClient.Lease closedMidway, int count) {
        Random random = new Random(seed);
        List<CompletableFuture<HttpResponse<byte[]>>> calls = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            SharedHttpClient.Lease lease = senders.get(random.nextInt(senders.size()));
            String name = seed + "-" + i;
            CompletableFuture<HttpResponse<byte[]>> call;
            switch (random.nextInt(6)) {
                case 0 -> call = lease.send(get(server, "/held/" + name), BODY,
                        Duration.ofMillis(5 + random.nextInt(45)));
                case 1 -> call = lease.send(get(server, "/quick/" + name), BODY,
                        Duration.ofMillis(1 + random.nextInt(2)));
                case 2 -> {
                    call = lease.send(get(server, "/quick/" + name), BODY, PATIENCE);
                    for (int spin = random.nextInt(20_000); spin > 0; spin--) {
                        Thread.onSpinWait();
                    }
                    call.cancel(true);
                }
                case 3 -> call = closedMidway.send(get(server, "/held/" + name), BODY, PATIENCE);
                case 4 -> {
                    server.answer(1);
                    call = lease.send(get(server, "/quick/" + name), BODY, PATIENCE);
                }
                default -> call = lease.send(get(server, "/quick/" + name), BODY, PATIENCE);
            }
            calls.add(call);
        }
        return calls;
    }

    private SharedHttpClient.Lease lease(SharedHttpClient shared) {
        SharedHttpClient.Lease lease = shared.lease();
        leases.add(lease);
        return lease;
    }

    private static HttpRequest get(HoldingServer target, String path) {
        return HttpRequest.newBuilder(URI.create(target.baseUrl() + path)).build();
    }
}
