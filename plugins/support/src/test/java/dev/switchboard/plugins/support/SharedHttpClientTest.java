package dev.switchboard.plugins.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.testkit.remote.StallingServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

final class SharedHttpClientTest {
    private static final String PREFIX = "shared-http-test";
    /** Bounds every wait, so a call that never completes fails the test instead of stalling the build. */
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final HttpServer server = startServer();

    @AfterEach
    void tearDown() {
        server.stop(0);
    }

    @Test
    void leasesShareOneClientUntilTheLastIsGivenBack() {
        SharedHttpClient shared = new SharedHttpClient(Duration.ofSeconds(3), PREFIX);

        SharedHttpClient.Lease first = shared.lease();
        SharedHttpClient.Lease second = shared.lease();

        assertThat(second.client()).isSameAs(first.client());
        assertThat(first.client().connectTimeout()).contains(Duration.ofSeconds(3));
        assertThat(first.client().version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(first.client().followRedirects()).isEqualTo(HttpClient.Redirect.NEVER);
        first.close();
        first.close();
        assertThat(shared.leases()).isEqualTo(1);
        second.close();
        assertThat(shared.leases()).isZero();

        try (SharedHttpClient.Lease later = shared.lease()) {
            assertThat(later.client()).isNotSameAs(first.client());
        }
    }

    @Test
    void aClientKeepsWorkingAfterAnotherGaveBackItsShareAndTheLastShareEndsTheThreads() throws Exception {
        SharedHttpClient shared = new SharedHttpClient(Duration.ofSeconds(3), PREFIX);
        SharedHttpClient.Lease first = shared.lease();
        SharedHttpClient.Lease second = shared.lease();
        HttpRequest hello = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort()
                + "/hello")).build();
        assertThat(first.client().sendAsync(hello, HttpResponse.BodyHandlers.ofString())
                .get(PATIENCE.toSeconds(), TimeUnit.SECONDS).body())
                .isEqualTo("hello");
        assertThat(liveThreads()).isPositive();

        first.close();

        assertThat(second.client().sendAsync(hello, HttpResponse.BodyHandlers.ofString())
                .get(PATIENCE.toSeconds(), TimeUnit.SECONDS).body())
                .isEqualTo("hello");
        second.close();
        await().atMost(PATIENCE).until(() -> liveThreads() == 0);
    }

    @Test
    void aCallThatOverrunsItsDeadlineFailsAndItsExchangeIsLetGo() {
        try (StallingServer remote = StallingServer.start(); SharedHttpClient.Lease lease = leaseOfANewClient()) {
            remote.blackhole();

            CompletableFuture<HttpResponse<byte[]>> call = lease.send(request(remote), new BoundedBodyHandler(100),
                    Duration.ofMillis(300));

            assertThat(catchThrowable(() -> call.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(TimeoutException.class);
            await().atMost(PATIENCE).until(() -> remote.openExchanges() == 0);
            assertThat(remote.requestLines()).hasSize(1);
        }
    }

    @Test
    void closingALeaseAbandonsItsCallsInFlightAndRefusesNewOnesWithoutSendingThem() {
        try (StallingServer remote = StallingServer.start()) {
            SharedHttpClient.Lease lease = leaseOfANewClient();
            remote.blackhole();
            CompletableFuture<HttpResponse<byte[]>> call = lease.send(request(remote), new BoundedBodyHandler(100),
                    PATIENCE);
            await().atMost(PATIENCE).until(() -> remote.openExchanges() == 1);

            lease.close();

            assertThat(catchThrowable(() -> call.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(CancellationException.class);
            await().atMost(PATIENCE).until(() -> remote.openExchanges() == 0);
            CompletableFuture<HttpResponse<byte[]>> late = lease.send(request(remote), new BoundedBodyHandler(100),
                    PATIENCE);
            assertThat(late).isCompletedExceptionally();
            assertThat(catchThrowable(late::join)).isInstanceOf(CancellationException.class);
            assertThat(remote.requestLines()).hasSize(1);
        }
    }

    private static SharedHttpClient.Lease leaseOfANewClient() {
        return new SharedHttpClient(Duration.ofSeconds(3), PREFIX).lease();
    }

    private static HttpRequest request(StallingServer remote) {
        return HttpRequest.newBuilder(URI.create(remote.baseUrl() + "/features")).build();
    }

    private static long liveThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && thread.getName().startsWith(PREFIX + "-"))
                .count();
    }

    private static HttpServer startServer() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/hello", exchange -> {
                byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the test server", e);
        }
    }
}
