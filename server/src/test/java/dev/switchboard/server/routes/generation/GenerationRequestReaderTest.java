package dev.switchboard.server.routes.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import dev.switchboard.api.generation.GenerationParameters;
import dev.switchboard.api.generation.LoraWeight;
import dev.switchboard.server.backends.BackendRegistry;
import dev.switchboard.server.generation.GenerationRequest;
import dev.switchboard.server.generation.InvalidRequestException;
import dev.switchboard.server.generation.ModelCatalog;
import dev.switchboard.server.plugins.PluginCallRunner;
import dev.switchboard.server.sessions.Permission;
import dev.switchboard.server.sessions.Session;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SwarmUI's reading of generation parameters: cleaning, conversion, validation texts, refusals. */
final class GenerationRequestReaderTest {
    private final PluginCallRunner runner = new PluginCallRunner();
    private final GenerationRequestReader reader = new GenerationRequestReader(new ModelCatalog(
            new BackendRegistry(runner)));
    private final Session owner = new Session("s", "local", List.of(Permission.ALL));

    @AfterEach
    void close() {
        runner.close();
    }

    private GenerationRequest read(String json) throws InvalidRequestException {
        return read(json, 1);
    }

    private GenerationRequest read(String json, int images) throws InvalidRequestException {
        JsonObject body = JsonParser.parseString(json).getAsJsonObject();
        return reader.read(body, images, owner);
    }

    @Test
    void aMastersRequestIsReadWithItsTypesAndCleanedKeys() throws Exception {
        GenerationRequest request = read("""
                {"images":1,"prompt":"a cat","negativeprompt":"","seed":1234,"steps":20,"CFG Scale":7.5,
                 "aspectratio":"1:1","width":1024,"height":768,"model":"sdxl/base","automaticvae":true,
                 "donotsave":true,"exactbackendid":-3,"forwardswarmdata":true,"sampler":"DPMPP_2M","scheduler":"[Karras]",
                 "batchsize":"2","unknownthing":5}""");
        GenerationParameters base = request.base();
        assertThat(base.prompt()).isEqualTo("a cat");
        assertThat(base.seed()).isEqualTo(1234);
        assertThat(base.cfgScale()).isEqualTo(7.5);
        assertThat(base.width()).isEqualTo(1024);
        assertThat(base.height()).isEqualTo(768);
        assertThat(base.batchSize()).isEqualTo(2);
        assertThat(base.model()).contains("sdxl/base");
        assertThat(base.sampler()).contains("dpmpp_2m");
        assertThat(base.scheduler()).contains("karras");
        assertThat(request.features()).containsExactly("comfyui");
        assertThat(request.exactBackendId()).isEqualTo(-3);
        assertThat(request.doNotSave()).isTrue();
        assertThat(request.forwardSwarmData()).isTrue();
        assertThat(request.usedParameters()).contains("prompt", "seed", "cfgscale", "width").doesNotContain(
                "unknownthing", "automaticvae");
    }

    @Test
    void aRandomSeedIsChosenOncePerRequest() throws Exception {
        long seed = read("{\"model\":\"m\",\"seed\":-1}").base().seed();
        assertThat(seed).isBetween(0L, (1L << 31) - 2);
        assertThat(read("{\"model\":\"m\"}").base().seed()).isBetween(0L, (1L << 31) - 2);
    }

    @Test
    void valuesOutsideTheirTypeOrRangeGetSwarmUisText() {
        assertThatThrownBy(() -> read("{\"model\":\"m\",\"steps\":\"many\"}")).hasMessage("Invalid value for parameter"
                + " Steps: Invalid integer value for param Steps - 'many' - must be a valid integer (eg '0', '3', '-5',"
                + " etc)");
        assertThatThrownBy(() -> read("{\"model\":\"m\",\"steps\":600}")).hasMessage("Invalid value for parameter"
                + " Steps: Invalid integer value for param Steps - '600' - must be between 0 and 500");
        assertThatThrownBy(() -> read("{\"model\":\"m\",\"cfgscale\":\"x\"}")).hasMessage("Invalid value for"
                + " parameter CFG Scale: Invalid decimal value for param CFG Scale - 'x' - must be a valid decimal (eg"
                + " '0.0', '3.5', '-5.2', etc)");
        assertThatThrownBy(() -> read("{\"model\":\"m\",\"donotsave\":\"yes\"}")).hasMessage("Invalid value for"
                + " parameter Do Not Save: Invalid boolean value for param Do Not Save - 'yes' - must be exactly 'true'"
                + " or 'false'");
        assertThatThrownBy(() -> read("{\"model\":\"m\",\"scheduler\":\"sometimes\"}")).hasMessageStartingWith(
                "Invalid value for parameter Scheduler: Invalid value for param Scheduler - 'sometimes' - must be one"
                        + " of: `normal`, `karras`");
        assertThatThrownBy(() -> read("{\"model\":\"m\"}", 0)).hasMessage("Invalid value for parameter Images:"
                + " Invalid integer value for param Images - '0' - must be between 1 and 10000");
    }

    @Test
    void aParameterThatWouldChangeTheImageButCannotBeHonouredIsRefusedByName() {
        assertThatThrownBy(() -> read("{\"model\":\"m\",\"initimage\":\"aGVsbG8gd29ybGQ=\"}"))
                .hasMessage("Switchboard cannot use the parameter 'initimage' yet: it would change the image and no"
                        + " backend here can honour it. Remove it to generate without it.");
        assertThatThrownBy(() -> read("{\"model\":\"m\",\"RefinerModel\":\"r\"}")).hasMessageContaining("'RefinerModel'");
        assertThatThrownBy(() -> read("{\"model\":\"m\",\"prompt\":\"a <region:0,0,1,1> cat\"}"))
                .hasMessage("Switchboard cannot use the prompt tag '<region:...>' yet: resolve it in the client, or"
                        + " remove it.");
        assertThatThrownBy(() -> read("{\"prompt\":\"a cat\"}")).hasMessage("No model input given. Did your UI load"
                + " properly?");
    }

    @Test
    void loraTagsInThePromptBecomeLorasAndListsAreRead() throws Exception {
        GenerationParameters base = read("{\"model\":\"m\",\"prompt\":\"a <lora:style:0.5> cat <embedding:bad>\","
                + "\"loras\":\"detail,light\",\"loraweights\":\"0.8,1.2\"}").base();
        assertThat(base.prompt()).isEqualTo("a  cat <embedding:bad>");
        assertThat(base.loras()).containsExactly(new LoraWeight("style", 0.5, 0.5), new LoraWeight("detail", 0.8, 0.8),
                new LoraWeight("light", 1.2, 1.2));
    }

    @Test
    void resolutionFollowsSwarmUisRule() throws Exception {
        assertThat(size(read("{\"model\":\"m\",\"rawresolution\":\"640x320\",\"width\":99}"))).containsExactly(640, 320);
        assertThat(size(read("{\"model\":\"m\",\"aspectratio\":\"16:9\",\"sidelength\":1024}")))
                .containsExactly(1344, 768);
        assertThat(size(read("{\"model\":\"m\",\"width\":800,\"altresolutionheightmultiplier\":1.5}")))
                .containsExactly(800, 1200);
    }

    @Test
    void rawAndInlineWorkflowsNeedComfyUiAndNameTheirNodes() throws Exception {
        String graph = "{\"1\":{\"class_type\":\"EmptyImage\",\"inputs\":{}},\"2\":{\"class_type\":\"SaveImage\","
                + "\"inputs\":{\"images\":[\"1\",0]}}}";
        GenerationRequest raw = read("{\"comfyworkflowraw\":" + new JsonPrimitive(graph) + "}");
        assertThat(raw.workflowTemplate()).isEqualTo(graph);
        assertThat(raw.features()).containsExactly("comfyui");
        assertThat(raw.base().model()).isEmpty();
        GenerationRequest inline = read("{\"comfyuicustomworkflow\":" + new JsonPrimitive(
                "PARSED%my flow%" + graph) + "}");
        assertThat(inline.workflowTemplate()).isEqualTo(graph);
        assertThatThrownBy(() -> read("{\"comfyuicustomworkflow\":\"my saved flow\"}"))
                .hasMessage("Unrecognized ComfyUI Custom Workflow name.");
    }

    private static int[] size(GenerationRequest request) {
        return new int[] {request.base().width(), request.base().height()};
    }
}
