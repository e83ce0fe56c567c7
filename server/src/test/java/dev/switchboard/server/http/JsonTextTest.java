package dev.switchboard.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonTextTest {

    @Test
    void aLongTextIsHeldInBlocksAndReadsBackWhole() {
        StringBuilder expected = new StringBuilder();
        JsonText.Builder builder = JsonText.builder();
        // Multi-byte characters land across block boundaries too.
        for (int i = 0; i < 20_000; i++) {
            String piece = "\"k" + i + "\":\"é€😀\",";
            expected.append(piece);
            builder.append(piece.getBytes(StandardCharsets.UTF_8));
        }
        builder.appendAscii("{}");
        expected.append("{}");

        JsonText text = builder.build();

        byte[] bytes = expected.toString().getBytes(StandardCharsets.UTF_8);
        assertThat(text.length()).isEqualTo(bytes.length);
        assertThat(text.toString()).isEqualTo(expected.toString());
        ByteBuffer[] buffers = text.buffers();
        assertThat(buffers.length).isGreaterThan(1);
        for (ByteBuffer buffer : buffers) {
            assertThat(buffer.remaining()).isLessThanOrEqualTo(JsonText.BLOCK_BYTES);
        }
        ByteBuffer joined = ByteBuffer.allocate(bytes.length);
        for (ByteBuffer buffer : buffers) {
            joined.put(buffer);
        }
        assertThat(joined.array()).isEqualTo(bytes);
    }

    @Test
    void anEmptyBuilderGivesAnEmptyText() {
        JsonText text = JsonText.builder().build();

        assertThat(text.length()).isZero();
        assertThat(text.toString()).isEmpty();
    }

    @Test
    void aTextFromAStringIsItsUtf8() {
        JsonText text = JsonText.of("{\"a\":\"é\"}");

        assertThat(text.length()).isEqualTo(10);
        assertThat(text.toString()).isEqualTo("{\"a\":\"é\"}");
    }
}
