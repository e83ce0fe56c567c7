package dev.switchboard.plugins.comfyui.generation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class FramesTest {

    @ParameterizedTest(name = "format {0} is {1}")
    @CsvSource({"1, image/jpeg", "2, image/png", "3, image/webp", "4, image/gif", "5, video/mp4"})
    void imageFramesCarryTheirFormat(int format, String mediaType) {
        byte[] frame = ByteBuffer.allocate(11).putInt(1).putInt(format).put(new byte[] {7, 8, 9}).array();

        assertThat(Frames.picture(frame)).hasValueSatisfying(picture -> {
            assertThat(picture.mediaType()).isEqualTo(mediaType);
            assertThat(picture.data()).containsExactly(7, 8, 9);
        });
    }

    @Test
    void previewsWithMetadataTakeTheirTypeFromIt() {
        byte[] metadata = "{\"image_type\":\"image/webp\",\"id\":\"3\"}".getBytes(StandardCharsets.UTF_8);
        byte[] frame = ByteBuffer.allocate(8 + metadata.length + 2).putInt(4).putInt(metadata.length).put(metadata)
                .put(new byte[] {1, 2}).array();

        assertThat(Frames.picture(frame)).hasValueSatisfying(picture -> {
            assertThat(picture.mediaType()).isEqualTo("image/webp");
            assertThat(picture.data()).containsExactly(1, 2);
        });
    }

    @Test
    void otherAndBrokenFramesCarryNoPicture() {
        assertThat(Frames.picture(new byte[] {0, 0, 0, 1})).isEmpty();
        assertThat(Frames.picture(ByteBuffer.allocate(9).putInt(3).putInt(0).array())).isEmpty();
        assertThat(Frames.picture(ByteBuffer.allocate(8).putInt(1).putInt(99).array())).isEmpty();
        assertThat(Frames.picture(ByteBuffer.allocate(8).putInt(4).putInt(500).array())).isEmpty();
    }

    @Test
    void finalImagesFollowSwarmUisNodeIdRule() {
        assertThat(Frames.isFinal("9")).isTrue();
        assertThat(Frames.isFinal("100")).isTrue();
        assertThat(Frames.isFinal("49999")).isTrue();
        assertThat(Frames.isFinal("custom-save")).isTrue();
        assertThat(Frames.isFinal(null)).isTrue();
        assertThat(Frames.isFinal("3")).isFalse();
        assertThat(Frames.isFinal("99")).isFalse();
        assertThat(Frames.isFinal("50000")).isFalse();
    }
}
