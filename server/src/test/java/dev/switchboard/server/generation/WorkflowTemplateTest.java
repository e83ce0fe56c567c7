package dev.switchboard.server.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonParser;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class WorkflowTemplateTest {
    private static final String SAVED = """
            {"4":{"class_type":"CheckpointLoaderSimple","inputs":{"ckpt_name":"${model:sd.safetensors}"}},
             "6":{"class_type":"CLIPTextEncode","inputs":{"text":"${prompt}","clip":["4",1]}},
             "3":{"class_type":"KSampler","inputs":{"seed":"%%_COMFYFIXME_${seed+2:0}_ENDFIXME_%%",
              "steps":"%%_COMFYFIXME_${steps:20}_ENDFIXME_%%","cfg":${cfg_scale},"sampler_name":"${comfy_sampler:euler}"}},
             "9":{"class_type":"SaveImage","inputs":{"images":["8",0],"filename_prefix":"${my_prefix}"}}}""";

    @Test
    void tagsAreFilledWithEscapedValuesAndNumbersLoseTheirPlaceholderQuotes() throws Exception {
        Map<String, String> values = Map.of("prompt", "a \"cat\"\nin snow", "seed", "40", "cfgscale", "7.5",
                "myprefix", "run");
        String filled = WorkflowTemplate.parse(SAVED).fill(values::get);

        var graph = JsonParser.parseString(filled).getAsJsonObject();
        assertThat(graph.getAsJsonObject("6").getAsJsonObject("inputs").get("text").getAsString())
                .isEqualTo("a \"cat\"\nin snow");
        assertThat(graph.getAsJsonObject("3").getAsJsonObject("inputs").get("seed").getAsLong()).isEqualTo(42);
        assertThat(graph.getAsJsonObject("3").getAsJsonObject("inputs").get("steps").getAsInt()).isEqualTo(20);
        assertThat(graph.getAsJsonObject("3").getAsJsonObject("inputs").get("cfg").getAsDouble()).isEqualTo(7.5);
        assertThat(graph.getAsJsonObject("3").getAsJsonObject("inputs").get("sampler_name").getAsString())
                .isEqualTo("euler");
        assertThat(graph.getAsJsonObject("4").getAsJsonObject("inputs").get("ckpt_name").getAsString())
                .isEqualTo("sd.safetensors");
        assertThat(graph.getAsJsonObject("9").getAsJsonObject("inputs").get("filename_prefix").getAsString())
                .isEqualTo("run");
        assertThat(WorkflowTemplate.parse(SAVED).nodeTypes())
                .containsExactly("CLIPTextEncode", "CheckpointLoaderSimple", "KSampler", "SaveImage");
    }

    @Test
    void aTagWithNoValueAndNoDefaultIsSwarmUisError() throws Exception {
        WorkflowTemplate template = WorkflowTemplate.parse("{\"1\":{\"class_type\":\"X\",\"inputs\":{\"a\":\"${mystery}\"}}}");
        assertThatThrownBy(() -> template.fill(name -> null)).isInstanceOf(InvalidRequestException.class)
                .hasMessage("Unknown param type request 'mystery' from '${mystery}'");
    }

    @Test
    void aWorkflowThatIsNotAnObjectOfNodesIsRefused() {
        assertThatThrownBy(() -> WorkflowTemplate.parse("[1,2]")).hasMessage("The ComfyUI workflow must be a JSON"
                + " object of nodes.");
        assertThatThrownBy(() -> WorkflowTemplate.parse("{\"1\":")).hasMessageStartingWith("The ComfyUI workflow is"
                + " not valid JSON");
    }

    @Test
    void cleaningKeepsLowerCaseLettersOnly() {
        assertThat(WorkflowTemplate.clean("CFG Scale")).isEqualTo("cfgscale");
        assertThat(WorkflowTemplate.clean("negative_prompt")).isEqualTo("negativeprompt");
        assertThat(WorkflowTemplate.clean("Lora2Weight!")).isEqualTo("loraweight");
    }
}
