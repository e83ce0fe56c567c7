package dev.switchboard.server.outputs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.outputs.OutputPathFormat.OutputPath;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The tags of SwarmUI's path format beyond the default ones, and the clash counter. */
final class OutputPathFormatTest {
    private static final RequestStamp STAMP = new RequestStamp(LocalDateTime.parse("2024-03-09T07:08:09.123"), 42);

    private static OutputDescription description() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("sampler", "dpmpp_2m");
        parameters.put("Clip_Stop_At_Layer", -2);
        parameters.put("loraweights", List.of(0.8, 1.0));
        parameters.put("denoise", 0.75);
        return new OutputDescription(STAMP, "a cat", "ugly, blurry", "flux/dev.sft", 123456789L, 1024, 768, 30,
                3.0, parameters);
    }

    @Test
    void theDefaultFormatNamesTheDateFolderAndTheFile() {
        OutputPath path = new OutputPathFormat(OutputPathFormat.DEFAULT).fill(description(), "local");
        assertThat(path.folders()).containsExactly("raw", "2024-03-09");
        assertThat(path.name()).isEqualTo("0708042-a cat-fluxdev");
        assertThat(path.candidate(0)).isEqualTo("0708042-a cat-fluxdev");
        assertThat(path.candidate(2)).isEqualTo("0708042-a cat-fluxdev-2");
    }

    @Test
    void everyTagIsFilledAndCleaned() {
        OutputPath path = new OutputPathFormat("[user_name]/[month_name]-[day_name]-[second]-[millisecond]/"
                + "[seed]-[cfg_scale]-[width]x[height]-[steps]-[negative_prompt]-[sampler]-[clipstopatlayer]"
                + "-[loraweights]-[denoise]-[unknown_tag]").fill(description(), "local");
        assertThat(path.folders()).containsExactly("local", "March-Saturday-09-123");
        assertThat(path.name()).isEqualTo("123456789-3-1024x768-30-ugly, blurry-dpmpp_2m--2-08,1-075-[unknown_tag]");
    }

    @Test
    void theNumberTagCountsFromOneInTheFileNameOnly() {
        OutputPath path = new OutputPathFormat("[number]x/[prompt]-[number]").fill(description(), "local");
        assertThat(path.folders()).containsExactly("x");
        assertThat(path.candidate(0)).isEqualTo("a cat-1");
        assertThat(path.candidate(1)).isEqualTo("a cat-2");
    }

    @Test
    void aFormatThatFillsToNothingStillNamesAFile() {
        OutputPath path = new OutputPathFormat("[prompt]").fill(new OutputDescription(STAMP, "...", "", "", 1, 1, 1,
                1, 1, Map.of()), "local");
        assertThat(path.folders()).isEmpty();
        assertThat(path.name()).isEqualTo("output");
    }

    @Test
    void modelExtensionsAreDroppedOnlyWhenTheyAreModelExtensions() {
        assertThat(OutputPathFormat.simplifyModel("sdxl\\base.safetensors")).isEqualTo("sdxl/base");
        assertThat(OutputPathFormat.simplifyModel("sd1.5/model")).isEqualTo("sd1.5/model");
        assertThat(OutputPathFormat.simplifyModel("v1-5.ckpt")).isEqualTo("v1-5");
        assertThat(OutputPathFormat.simplifyModel("flux.gguf")).isEqualTo("flux");
        assertThat(OutputPathFormat.simplifyModel("sd-v2.1")).isEqualTo("sd-v2.1");
        assertThat(OutputPathFormat.simplifyModel(" ")).isEqualTo("unknown");
    }
}
