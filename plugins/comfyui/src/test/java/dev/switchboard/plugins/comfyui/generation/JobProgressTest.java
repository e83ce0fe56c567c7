package dev.switchboard.plugins.comfyui.generation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

final class JobProgressTest {

    @Test
    void overallCountsFinishedNodesAndTheCurrentFractionOverNodesPlusOne() {
        JobProgress progress = new JobProgress(3);
        assertThat(progress.overall()).isZero();

        progress.enter("4");
        progress.enter("10");
        progress.step(1, 4);

        assertThat(progress.overall()).isEqualTo((1 + 0.25) / 4);
        assertThat(progress.current()).isEqualTo(0.25);
        assertThat(progress.node()).isEqualTo("10");

        progress.enter("9");
        assertThat(progress.overall()).isEqualTo(2.0 / 4);
        assertThat(progress.current()).isZero();
    }

    @Test
    void cachedNodesCountAsFinishedAndStepsStayInRange() {
        JobProgress progress = new JobProgress(2);
        progress.cached(List.of("4", "5", "6"));
        progress.step(9, 4);

        assertThat(progress.overall()).isEqualTo(1.0);
        progress.step(1, 0);
        assertThat(progress.current()).isZero();
    }
}
