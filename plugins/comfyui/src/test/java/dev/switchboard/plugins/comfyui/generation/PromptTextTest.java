package dev.switchboard.plugins.comfyui.generation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

final class PromptTextTest {

    @Test
    void swarmUisEmbeddingTagsBecomeComfyUisSyntax() {
        assertThat(PromptText.forComfyUi("a <embedding:easyneg> cat <EMBEDDING:styles/ink.pt>", false))
                .isEqualTo("a embedding:easyneg cat embedding:styles/ink.pt");
    }

    @Test
    void aWindowsServerGetsBackslashesInEmbeddingNames() {
        assertThat(PromptText.forComfyUi("<embedding:styles/ink.pt>", true)).isEqualTo("embedding:styles\\ink.pt");
    }

    @Test
    void otherLiteralEmbeddingTextIsBrokenSoNothingElseLoads() {
        assertThat(PromptText.forComfyUi("embedding:x and Embedding:y, <embedding:z>", false))
                .isEqualTo("embedding :x and Embedding :y, embedding:z");
    }

    @Test
    void plainTextIsUnchanged() {
        assertThat(PromptText.forComfyUi("a photo of a fox, 4k, $5 (red:1.2)", false))
                .isEqualTo("a photo of a fox, 4k, $5 (red:1.2)");
    }
}
