package dev.switchboard.plugins.comfyui.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import dev.switchboard.testkit.comfyui.ComfyUiStandIn;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

final class ComfyUiClientTest {
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private final ComfyUiStandIn standIn = ComfyUiStandIn.start();

    @AfterEach
    void tearDown() {
        standIn.close();
    }

    @Test
    void refusesBodiesLargerThanTheLimit() {
        ComfyUiClient client = client(1000);

        assertThatThrownBy(() -> client.await(client.get("/object_info", DEADLINE)))
                .isInstanceOf(ComfyUiException.class)
                .hasMessage("ComfyUI at " + standIn.baseUrl() + " answered GET /object_info with a body larger than "
                        + "the limit; response body exceeds 1000 bytes.")
                .satisfies(e -> assertThat(((ComfyUiException) e).kind()).isEqualTo(ComfyUiException.Kind.BAD_ANSWER));
    }

    @Test
    void readsBodiesWithinTheLimit() throws Exception {
        ComfyUiClient client = client(1000);

        assertThat(client.await(client.get("/features", DEADLINE)).get("supports_preview_metadata").getAsBoolean()).isTrue();
    }

    @Test
    void quotesOnlyASanitisedStartOfAnswersThatAreNotJson() {
        standIn.respondWith(200, "text/html", "<html>\n<body>\u202eproxy\terror page " + "x".repeat(200));
        ComfyUiClient client = client(ComfyUiClient.DEFAULT_MAX_BODY_BYTES);

        assertThatThrownBy(() -> client.await(client.get("/features", DEADLINE)))
                .hasMessage("ComfyUI at " + standIn.baseUrl() + " answered GET /features with something that is not "
                        + "JSON: <html> <body> proxy error page " + "x".repeat(49) + "...");
    }

    @Test
    void refusesTrailingDataAndNonObjects() {
        ComfyUiClient client = client(ComfyUiClient.DEFAULT_MAX_BODY_BYTES);

        standIn.respondWith(200, "application/json", "{} {}");
        assertThatThrownBy(() -> client.await(client.get("/features", DEADLINE))).hasMessageContaining("not JSON: {} {}");
        standIn.respondWith(200, "application/json", "[1, 2]");
        assertThatThrownBy(() -> client.await(client.get("/features", DEADLINE)))
                .hasMessageContaining("with JSON that is not an object: [1, 2]");
    }

    @Test
    void callsAfterCloseFailAsCancelledWithoutContactingTheServer() {
        ComfyUiClient client = client(ComfyUiClient.DEFAULT_MAX_BODY_BYTES);

        client.close();

        assertThatThrownBy(() -> client.await(client.post("/free", new JsonObject(), DEADLINE)))
                .isInstanceOf(ComfyUiException.class)
                .satisfies(e -> assertThat(((ComfyUiException) e).kind()).isEqualTo(ComfyUiException.Kind.CANCELLED));
        assertThat(standIn.requests()).isEmpty();
    }

    @Test
    void unreachableServersAreReportedAsSuch() {
        standIn.refuse();
        ComfyUiClient client = client(ComfyUiClient.DEFAULT_MAX_BODY_BYTES);

        assertThatThrownBy(() -> client.await(client.get("/features", DEADLINE)))
                .isInstanceOf(ComfyUiException.class)
                .satisfies(e -> assertThat(((ComfyUiException) e).isUnreachable()).isTrue());
    }

    private ComfyUiClient client(long maxBodyBytes) {
        return new ComfyUiClient(standIn.baseUrl(), URI.create(standIn.baseUrl()), "Switchboard/test",
                Duration.ofSeconds(5), maxBodyBytes);
    }
}
