package dev.switchboard.examples.autowebui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

final class CheckpointNamesTest {
    @Test
    void theHashSuffixIsStripped() {
        assertThat(CheckpointNames.withoutHash("sd15/a.safetensors [6ce0161689]")).isEqualTo("sd15/a.safetensors");
        assertThat(CheckpointNames.withoutHash("a.safetensors")).isEqualTo("a.safetensors");
    }

    @Test
    void theSamePathWinsOverTheSameFileName() {
        List<String> titles = List.of("other/A.safetensors [1111111111]", "sd15/a.safetensors [2222222222]");

        assertThat(CheckpointNames.match("SD15/A.safetensors [2222222222]", titles)).hasValue("sd15/a.safetensors");
        assertThat(CheckpointNames.match("a.ckpt", titles)).hasValue("other/A.safetensors");
        assertThat(CheckpointNames.match("b.safetensors", titles)).isEmpty();
    }
}
