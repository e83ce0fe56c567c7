package dev.switchboard.plugins.comfyui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.testkit.comfyui.ComfyUiStandIn;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

final class SharedHttpClientTest {
    private static final Duration PATIENCE = Duration.ofSeconds(15);

    @Test
    void leasesShareOneClientUntilTheLastIsGivenBack() {
        SharedHttpClient shared = new SharedHttpClient(Duration.ofSeconds(3));

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
        SharedHttpClient shared = new SharedHttpClient(Duration.ofSeconds(3));
        try (ComfyUiStandIn standIn = ComfyUiStandIn.start()) {
            SharedHttpClient.Lease first = shared.lease();
            SharedHttpClient.Lease second = shared.lease();
            HttpRequest features = HttpRequest.newBuilder(URI.create(standIn.baseUrl() + "/features")).build();
            assertThat(first.client().sendAsync(features, HttpResponse.BodyHandlers.ofString()).get().statusCode())
                    .isEqualTo(200);

            first.close();

            assertThat(second.client().sendAsync(features, HttpResponse.BodyHandlers.ofString()).get().statusCode())
                    .isEqualTo(200);
            second.close();
            await().atMost(PATIENCE).until(() -> Thread.getAllStackTraces().keySet().stream()
                    .noneMatch(thread -> thread.isAlive() && thread.getName().startsWith("comfyui-http-")));
        }
    }
}
