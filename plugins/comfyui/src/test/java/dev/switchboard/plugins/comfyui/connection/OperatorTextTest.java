package dev.switchboard.plugins.comfyui.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

final class OperatorTextTest {

    @Test
    void describesDurationsShortly() {
        assertThat(OperatorText.describe(Duration.ofSeconds(60))).isEqualTo("60 s");
        assertThat(OperatorText.describe(Duration.ofMillis(1500))).isEqualTo("1500 ms");
        assertThat(OperatorText.describe(Duration.ofMillis(50))).isEqualTo("50 ms");
    }

}
