package dev.switchboard.benchmarks.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

final class FairShareTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void theWindowRunsFromTheLastAcceptedRequestToTheFirstSessionOutOfWork() {
        // The big session starts at 0 and ends at 10 s; the small one starts at 2 s and ends at 6 s.
        List<Long> big = LongStream.rangeClosed(1, 100).map(i -> i * SECOND / 10).boxed().toList();
        List<Long> small = LongStream.rangeClosed(21, 60).map(i -> i * SECOND / 10).boxed().toList();

        FairShare share = FairShare.of(new long[] {0, 2 * SECOND}, List.of(big, small));

        assertThat(share.seconds()).isEqualTo(4.0);
        // Inside (2 s, 6 s]: 40 jobs of each.
        assertThat(share.rates()).containsExactly(10.0, 10.0);
        assertThat(share.jainIndex()).isEqualTo(1.0);
    }

    @Test
    void jainsIndexFallsToOneOverNWhenOneSessionGetsEverything() {
        assertThat(new FairShare(0, SECOND, new double[] {12, 0, 0, 0}).jainIndex()).isEqualTo(0.25);
        assertThat(new FairShare(0, SECOND, new double[] {3, 1}).jainIndex()).isCloseTo(16.0 / 20, within(1e-12));
    }

    @Test
    void aSessionThatEndedBeforeTheLastOneBeganLeavesNoWindow() {
        assertThatThrownBy(() -> FairShare.of(new long[] {0, 5 * SECOND},
                List.of(List.of(SECOND), List.of(6 * SECOND)))).isInstanceOf(IllegalArgumentException.class);
    }
}
