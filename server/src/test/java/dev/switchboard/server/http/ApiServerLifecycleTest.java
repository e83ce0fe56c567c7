package dev.switchboard.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import dev.switchboard.server.http.ApiClient.Reply;
import dev.switchboard.server.sessions.Permission;
import dev.switchboard.server.sessions.SessionService;
import io.undertow.util.Headers;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Starting, stopping and the paths outside {@code /API/}: each test runs its own server. */
final class ApiServerLifecycleTest {

    private static final HttpOptions ANY_PORT = new HttpOptions("127.0.0.1", 0, 1024 * 1024);

    private final SessionService sessions = new SessionService();
    private final List<ApiServer> servers = new ArrayList<>();
    private final CountDownLatch slowEntered = new CountDownLatch(1);
    private final CountDownLatch slowRelease = new CountDownLatch(1);

    private final ApiRoute slowRoute = TestRoute.of("Slow", Permission.VIEW_BACKENDS_LIST, call -> {
        slowEntered.countDown();
        slowRelease.await();
        JsonObject result = new JsonObject();
        result.addProperty("finished", true);
        return result;
    });

    @AfterEach
    void stopServers() {
        slowRelease.countDown();
        servers.forEach(ApiServer::close);
    }

    private ApiServer server(HttpOptions options, Duration shutdownGrace) {
        ApiServer server = new ApiServer(options, Set.of(slowRoute), sessions, shutdownGrace);
        servers.add(server);
        return server;
    }

    private ApiServer started() {
        ApiServer server = server(ANY_PORT, Duration.ofSeconds(5));
        server.start();
        return server;
    }

    private CompletableFuture<HttpResponse<String>> postSlow(int port) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        return http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/API/Slow"))
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"session_id\":\"" + sessions.create("local").id() + "\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void reportsTheChosenPortWhenAskedForAnyPort() {
        ApiServer server = started();

        assertThat(server.port()).isPositive();
        Reply reply = new ApiClient(server.port()).send("GET", "/API/Slow");
        assertThat(reply.status()).isEqualTo(302);
    }

    @Test
    void hasNoPortBeforeStarting() {
        ApiServer server = server(ANY_PORT, Duration.ofSeconds(5));

        assertThatThrownBy(server::port).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void failsClearlyWhenThePortIsTaken() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            ApiServer server = server(new HttpOptions("127.0.0.1", port, 1024), Duration.ofSeconds(5));

            assertThatThrownBy(server::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("127.0.0.1:" + port)
                    .hasMessageContaining("in use");
        }
    }

    @Test
    void cannotStartTwice() {
        ApiServer server = started();

        assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void answersOtherPathsWith404AndAnEmptyBodyByDefault() {
        ApiClient client = new ApiClient(started().port());

        for (String path : List.of("/", "/index.html", "/API", "/APIListBackends", "/Error/NoGetAPI")) {
            Reply reply = client.send("GET", path);
            assertThat(reply.status()).as(path).isEqualTo(404);
            assertThat(reply.body()).as(path).isEmpty();
        }
        assertThat(client.post("/other", "{}").status()).isEqualTo(404);
    }

    @Test
    void handsOtherPathsToTheFallbackHandler() {
        ApiServer server = started();
        server.setFallbackHandler(exchange -> {
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain");
            exchange.getResponseSender().send("page " + exchange.getRequestPath());
        });
        ApiClient client = new ApiClient(server.port());

        assertThat(client.send("GET", "/index.html").body()).isEqualTo("page /index.html");
        assertThat(client.send("GET", "/API/Slow").status()).isEqualTo(302);
    }

    @Test
    void refusesTwoRoutesWhoseNamesDifferOnlyInCase() {
        Set<ApiRoute> routes = Set.of(
                TestRoute.of("ListBackends", Permission.VIEW_BACKENDS_LIST, call -> new JsonObject()),
                TestRoute.of("listbackends", Permission.VIEW_BACKENDS_LIST, call -> new JsonObject()));

        assertThatThrownBy(() -> new ApiServer(ANY_PORT, routes, sessions))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ListBackends")
                .hasMessageContaining("listbackends");
    }

    @Test
    void closeWaitsForRequestsInFlight() throws Exception {
        ApiServer server = started();
        ApiClient client = new ApiClient(server.port());
        CompletableFuture<HttpResponse<String>> inFlight = postSlow(server.port());
        assertThat(slowEntered.await(20, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
        // Shutdown has begun once new requests are turned away.
        await().atMost(Duration.ofSeconds(20))
                .until(() -> client.post("/API/Slow", "{}", Map.of()).status() == 503);
        assertThat(closing).isNotDone();

        slowRelease.countDown();
        HttpResponse<String> response = inFlight.get(20, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"finished\":true}");
        closing.get(20, TimeUnit.SECONDS);
    }

    @Test
    void closeGivesUpOnRequestsThatOutliveTheGracePeriod() throws Exception {
        ApiServer server = server(ANY_PORT, Duration.ofMillis(200));
        server.start();
        postSlow(server.port());
        assertThat(slowEntered.await(20, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);

        closing.get(20, TimeUnit.SECONDS);
        assertThat(slowRelease.getCount()).isEqualTo(1);
    }

    @Test
    void closeCanBeCalledRepeatedlyAndBeforeStart() {
        ApiServer neverStarted = server(ANY_PORT, Duration.ofSeconds(5));
        neverStarted.close();
        assertThatThrownBy(neverStarted::start).isInstanceOf(IllegalStateException.class);

        ApiServer server = started();
        server.close();
        server.close();
    }
}
