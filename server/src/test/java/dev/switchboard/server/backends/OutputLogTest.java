package dev.switchboard.server.backends;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

final class OutputLogTest {
    @Test
    void keepsTheNewestLinesAndSaysHowManyWereDropped() {
        OutputLog log = new OutputLog(3);
        for (int i = 0; i < 5; i++) {
            log.append("line " + i);
        }
        OutputPage page = log.since(0, 10);
        assertThat(page.lines()).containsExactly("line 2", "line 3", "line 4");
        assertThat(page.first()).isEqualTo(2);
        assertThat(page.next()).isEqualTo(5);
        assertThat(page.dropped()).isEqualTo(2);
        assertThat(log.since(3, 10).lines()).containsExactly("line 3", "line 4");
        assertThat(log.since(3, 10).dropped()).isZero();
        assertThat(log.since(5, 10).lines()).isEmpty();
        assertThat(log.since(5, 10).next()).isEqualTo(5);
        assertThat(log.since(2, 1).lines()).containsExactly("line 2");
        assertThat(log.since(2, 1).next()).isEqualTo(3);
    }

    @Test
    void capsLineLength() {
        OutputLog log = new OutputLog(2);
        log.append("x".repeat(10_000));
        assertThat(log.since(0, 1).lines().get(0)).hasSize(OutputLog.MAX_LINE_LENGTH + 3);
    }
}
