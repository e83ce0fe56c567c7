package dev.switchboard.server.routes.backends;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

final class TimeSinceUsedTest {
    @Test
    void describesAgesLikeSwarmUi() {
        assertThat(TimeSinceUsed.describe(-1)).isEqualTo("Never");
        assertThat(TimeSinceUsed.describe(0)).isEqualTo("0 seconds ago");
        assertThat(TimeSinceUsed.describe(999)).isEqualTo("0 seconds ago");
        assertThat(TimeSinceUsed.describe(1_000)).isEqualTo("1 second ago");
        assertThat(TimeSinceUsed.describe(5_400)).isEqualTo("5 seconds ago");
        assertThat(TimeSinceUsed.describe(60_000)).isEqualTo("1 minute ago");
        assertThat(TimeSinceUsed.describe(65_000)).isEqualTo("1 minute and 5 seconds ago");
        assertThat(TimeSinceUsed.describe((2 * 3600 + 3 * 60 + 7) * 1000L)).isEqualTo("2 hours and 3 minutes ago");
        assertThat(TimeSinceUsed.describe((3 * 86400 + 3600) * 1000L)).isEqualTo("3 days and 1 hour ago");
        assertThat(TimeSinceUsed.describe((365 * 86400 + 12 * 86400) * 1000L)).isEqualTo("1 year and 12 days ago");
        assertThat(TimeSinceUsed.describe(2 * 86400 * 1000L)).isEqualTo("2 days ago");
    }
}
