package dev.switchboard.testkit.backends;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testkit.backends.RecordingGenerationOutput.Image;
import dev.switchboard.testkit.backends.RecordingGenerationOutput.Preview;
import dev.switchboard.testkit.backends.RecordingGenerationOutput.Progress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class RecordingGenerationOutputTest {
    @Test
    void recordsEveryCallInOrderAndKeepsLateOnesApart() {
        RecordingGenerationOutput output = new RecordingGenerationOutput();
        byte[] picture = {1, 2, 3};

        output.progress(0.5, 0.25);
        output.preview(picture, "image/jpeg");
        output.image(picture, "image/png");
        picture[0] = 9;
        output.close();
        output.progress(1, 1);
        output.image(new byte[] {4}, "image/png");

        assertThat(output.events()).hasSize(3);
        assertThat(output.progress()).containsExactly(new Progress(0.5, 0.25));
        assertThat(output.previews()).singleElement().extracting(Preview::mediaType).isEqualTo("image/jpeg");
        assertThat(output.images()).singleElement().satisfies(image -> {
            assertThat(image.mediaType()).isEqualTo("image/png");
            // A copy: the generator may reuse its buffer.
            assertThat(image.data()).containsExactly(1, 2, 3);
        });
        assertThat(output.lateEvents()).hasSize(2).last().isInstanceOf(Image.class);
    }

    @Test
    void awaitWakesWhenAnotherThreadReports() throws Exception {
        RecordingGenerationOutput output = new RecordingGenerationOutput();
        CountDownLatch waiting = new CountDownLatch(1);
        Thread reporter = new Thread(() -> {
            try {
                waiting.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            output.image(new byte[] {1}, "image/png");
        });
        reporter.start();

        waiting.countDown();
        boolean seen = output.await(event -> event instanceof Image, Duration.ofSeconds(30));

        assertThat(seen).isTrue();
        assertThat(output.await(event -> event instanceof Progress, Duration.ofMillis(10))).isFalse();
        reporter.join();
    }
}
