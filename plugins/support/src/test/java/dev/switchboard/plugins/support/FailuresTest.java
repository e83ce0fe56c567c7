package dev.switchboard.plugins.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.switchboard.testkit.remote.StallingServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What real failed calls of the JDK HTTP client, against a real misbehaving server, are classified as. */
final class FailuresTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final StallingServer remote = StallingServer.start();
    private final SharedHttpClient http = new SharedHttpClient(Duration.ofSeconds(5), "failures-test");
    private final SharedHttpClient.Lease lease = http.lease();

    @AfterEach
    void tearDown() {
        lease.close();
        remote.close();
    }

    @Test
    void aClosedPortIsARefusedConnection() {
        String address = remote.baseUrl();
        remote.close();

        CallFailure failure = Failures.classify(failureOf(call(address, 1000)));

        assertThat(failure.kind()).isEqualTo(CallFailure.Kind.REFUSED);
        assertThat(failure.detail()).isEqualTo("connection refused");
    }

    @Test
    void aHostThatDoesNotResolveIsAnUnknownHost() {
        CallFailure failure = Failures.classify(failureOf(call("http://no-such-host.invalid:8188", 1000)));

        assertThat(failure.kind()).isEqualTo(CallFailure.Kind.UNKNOWN_HOST);
        assertThat(failure.detail()).isEmpty();
    }

    @Test
    void noAnswerWithinTheDeadlineIsTimedOut() {
        remote.blackhole();

        CallFailure failure = Failures.classify(failureOf(call(remote.baseUrl(), 1000)
                .orTimeout(200, TimeUnit.MILLISECONDS)));

        assertThat(failure.kind()).isEqualTo(CallFailure.Kind.TIMED_OUT);
    }

    @Test
    void aRemoteThatHangsUpMidExchangeIsALostConnection() {
        remote.hangUp();

        CallFailure failure = Failures.classify(failureOf(call(remote.baseUrl(), 1000)));

        assertThat(failure.kind()).isEqualTo(CallFailure.Kind.CONNECTION_LOST);
        assertThat(failure.detail()).isNotEmpty().doesNotContain("\n");
    }

    @Test
    void aBodyBeyondTheLimitIsTooLargeEvenWithoutAnAnnouncedLength() {
        remote.flood("application/json", 10_000);

        CallFailure failure = Failures.classify(failureOf(call(remote.baseUrl(), 1000)));

        assertThat(failure.kind()).isEqualTo(CallFailure.Kind.TOO_LARGE);
        assertThat(failure.detail()).isEqualTo("response body exceeds 1000 bytes");
    }

    @Test
    void anAbandonedCallIsCancelled() {
        remote.blackhole();
        CompletableFuture<HttpResponse<byte[]>> call = call(remote.baseUrl(), 1000);

        call.cancel(true);

        assertThat(Failures.classify(failureOf(call)).kind()).isEqualTo(CallFailure.Kind.CANCELLED);
    }

    @Test
    void anythingElseIsUnexpectedWithItsTextMadeSafe() {
        CallFailure failure = Failures.classify(new CompletionException(new IllegalStateException("bad\nstate")));

        assertThat(failure.kind()).isEqualTo(CallFailure.Kind.UNEXPECTED);
        assertThat(failure.detail()).isEqualTo("java.lang.IllegalStateException: bad state");
        assertThat(failure.cause()).isInstanceOf(IllegalStateException.class);
    }

    private CompletableFuture<HttpResponse<byte[]>> call(String address, long maxBodyBytes) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(address + "/features")).build();
        return lease.client().sendAsync(request, new BoundedBodyHandler(maxBodyBytes));
    }

    /** Waits (bounded) for the call to fail and returns what its future failed with, as a caller sees it. */
    private static Throwable failureOf(CompletableFuture<?> call) {
        Throwable thrown = catchThrowable(() -> call.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS));
        assertThat(thrown).as("the call failed").isNotNull();
        return thrown;
    }
}
