package dev.switchboard.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testkit.server.SwitchboardProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who may reach the server, decided at its start: a non-loopback address needs authentication. */
final class ExposureIT {
    private static final Duration START = Duration.ofSeconds(60);

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

    private SwitchboardProcess start(Map<String, String> environment, String... extraArguments) {
        List<String> arguments = new ArrayList<>(List.of("--port", "0", "--data-dir", folder.resolve("data").toString()));
        arguments.addAll(List.of(extraArguments));
        return ShippedDistribution.start(folder, arguments, environment);
    }
}
