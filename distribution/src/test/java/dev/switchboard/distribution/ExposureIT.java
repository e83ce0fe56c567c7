package dev.switchboard.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testkit.server.SwarmApiClient;
import dev.switchboard.testkit.server.SwitchboardProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Who may reach the server, decided at its start: a non-loopback address needs authentication, and the
 * required authorization from the environment variable {@code SWITCHBOARD_REQUIRED_AUTHORIZATION} is taken
 * literally ({@code $} and {@code ${...}} included), while a blank one refuses the start.
 */
final class ExposureIT {
    private static final Duration START = Duration.ofSeconds(60);
    private static final String VARIABLE = "SWITCHBOARD_REQUIRED_AUTHORIZATION";

    @TempDir
    Path folder;

    @Test
    void aNonLoopbackBindWithoutAuthenticationRefusesToStart() {
        try (SwitchboardProcess server = start(Map.of(), "--host", "0.0.0.0")) {
            assertThat(server.awaitExit(START)).isEqualTo(2);
            assertThat(String.join("\n", server.output()))
                    .contains("refusing to listen on 0.0.0.0 without authentication")
                    .contains("--required-authorization").contains("--allow-unauthenticated")
                    .doesNotContain("Switchboard listening");
        }
    }

    /** Values a shell or picocli would rewrite: each must be required exactly as written. */
    @ParameterizedTest
    @ValueSource(strings = {"Bearer ${TOKEN}", "${x}", "Bearer pa$$word"})
    void theEnvironmentVariableIsRequiredLiterally(String authorization) {
        try (SwitchboardProcess server = start(Map.of(VARIABLE, authorization))) {
            String url = server.awaitReady(START);
            SwarmApiClient exact = new SwarmApiClient(url, Map.of("Authorization", authorization));
            assertThat(exact.call("ListBackends").has("error")).isFalse();
            // What picocli's interpolation made of these values, and no header at all.
            for (String other : List.of("Bearer null", "Bearer pa$word", "Bearer")) {
                SwarmApiClient.Response refused = new SwarmApiClient(url, Map.of("Authorization", other))
                        .postRaw("GetNewSession", "{}");
                assertThat(refused.status()).as(other).isEqualTo(401);
                assertThat(refused.body()).isEqualTo("Unauthorized");
            }
            assertThat(new SwarmApiClient(url).postRaw("GetNewSession", "{}").status()).as("no header").isEqualTo(401);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", " \t "})
    void aBlankEnvironmentVariableRefusesToStart(String blank) {
        try (SwitchboardProcess server = start(Map.of(VARIABLE, blank), "--host", "0.0.0.0")) {
            assertThat(server.awaitExit(START)).isEqualTo(2);
            assertThat(server.output()).contains("switchboard: SWITCHBOARD_REQUIRED_AUTHORIZATION is empty: set it to"
                    + " the exact Authorization header every request must carry (e.g. \"Bearer <token>\"), or leave it"
                    + " unset for no authorization").noneMatch(line -> line.startsWith("Switchboard listening"));
        }
    }

    @Test
    void aBlankFlagRefusesToStartAndWinsOverTheVariable() {
        try (SwitchboardProcess server = start(Map.of(VARIABLE, "Bearer fine"), "--required-authorization", "  ")) {
            assertThat(server.awaitExit(START)).isEqualTo(2);
            assertThat(server.output()).contains("switchboard: --required-authorization is empty: set it to the exact"
                    + " Authorization header every request must carry (e.g. \"Bearer <token>\"), or leave it unset"
                    + " for no authorization");
        }
    }

    private SwitchboardProcess start(Map<String, String> environment, String... extraArguments) {
        List<String> arguments = new ArrayList<>(List.of("--port", "0", "--data-dir", folder.resolve("data").toString()));
        arguments.addAll(List.of(extraArguments));
        return ShippedDistribution.start(folder, arguments, environment);
    }
}
