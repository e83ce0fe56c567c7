package dev.switchboard.plugins.comfyui.byaddress;

import static dev.switchboard.plugins.comfyui.byaddress.GenerationFixture.MODEL;
import static dev.switchboard.plugins.comfyui.byaddress.GenerationFixture.job;
import static dev.switchboard.plugins.comfyui.byaddress.GenerationFixture.parameters;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.switchboard.api.generation.GenerationException;
import dev.switchboard.api.generation.LoraWeight;
import dev.switchboard.api.generation.ModelType;
import dev.switchboard.plugins.comfyui.RecordingOutput;
import dev.switchboard.testkit.comfyui.RecordedRequest;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code comfyui_api} generating against the ComfyUI stand-in over real sockets: the graph ComfyUI receives, the
 * images, previews and progress that come back, and ComfyUI's refusals and failures as users read them.
 */
final class ComfyUiApiGenerationTest {
    private final GenerationFixture fixture = new GenerationFixture();

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    @Test
    void theStandardGraphHasSwarmUisNodesAndTheImageHasTheAskedSize() throws Exception {
        ComfyUiApiBackend backend = fixture.running();
        RecordingOutput output = new RecordingOutput();

        backend.generate(job(parameters().seed(7).steps(3).cfgScale(6.5).sampler("dpmpp_2m").scheduler("karras")
                .size(64, 48).build()), output);

        JsonObject graph = onlyGraph();
        assertThat(prefixOf(graph)).matches("SwarmUI_[0-9a-f]{16}_");
        assertThat(graph).isEqualTo(json("{"
                + "'4':{'class_type':'CheckpointLoaderSimple','inputs':{'ckpt_name':'sdxl/base.safetensors'}},"
                + "'5':{'class_type':'EmptyLatentImage','inputs':{'width':64,'height':48,'batch_size':1}},"
                + "'6':{'class_type':'CLIPTextEncode','inputs':{'text':'a red fox','clip':['4',1]}},"
                + "'7':{'class_type':'CLIPTextEncode','inputs':{'text':'blurry','clip':['4',1]}},"
                + "'10':{'class_type':'KSamplerAdvanced','inputs':{'model':['4',0],'add_noise':'enable','noise_seed':7,"
                + "'steps':3,'cfg':6.5,'sampler_name':'dpmpp_2m','scheduler':'karras','positive':['6',0],"
                + "'negative':['7',0],'latent_image':['5',0],'start_at_step':0,'end_at_step':10000,"
                + "'return_with_leftover_noise':'disable'}},"
                + "'8':{'class_type':'VAEDecode','inputs':{'samples':['10',0],'vae':['4',2]}},"
                + "'9':{'class_type':'SaveImage','inputs':{'images':['8',0],'filename_prefix':'" + prefixOf(graph) + "'}}"
                + "}"));
        assertThat(output.images()).singleElement().satisfies(image -> {
            assertThat(image.mediaType()).isEqualTo("image/png");
            BufferedImage decoded = image.decoded();
            assertThat(decoded.getWidth()).isEqualTo(64);
            assertThat(decoded.getHeight()).isEqualTo(48);
        });
    }

    @Test
    void theSocketIsOpenedFirstWithTheClientIdThePromptCarries() throws Exception {
        ComfyUiApiBackend backend = fixture.running();
        fixture.standIn.clearRequests();

        backend.generate(job(parameters().build()), new RecordingOutput());

        List<RecordedRequest> requests = fixture.requests();
        assertThat(requests.get(0).is("GET", "/ws")).as("%s", requests).isTrue();
        assertThat(requests.get(1).is("POST", "/prompt")).as("%s", requests).isTrue();
        String clientId = requests.get(0).query().replaceFirst("^clientId=", "");
        JsonObject body = JsonParser.parseString(requests.get(1).body()).getAsJsonObject();
        assertThat(body.get("client_id").getAsString()).isEqualTo(clientId).isNotBlank();
        String promptId = fixture.standIn.prompts().get(0).promptId();
        assertThat(body.get("prompt_id").getAsString()).isEqualTo(promptId);
        assertThat(fixture.calls("POST", "/history")).containsExactly("POST /history {\"delete\":[\"" + promptId
                + "\"]}");
        assertThat(fixture.calls("POST", "/interrupt")).isEmpty();
    }

    @Test
    void lorasVaeClipSkipBatchAndEmbeddingsShapeTheGraph() throws Exception {
        ComfyUiApiBackend backend = fixture.running();
        RecordingOutput output = new RecordingOutput();

        backend.generate(job(parameters().prompt("a <embedding:styles/neg.pt> fox, embedding:leak").size(64, 64)
                .batchSize(2).loras(List.of(new LoraWeight("style/ink.safetensors", 0.8, 0.5),
                        new LoraWeight("detail.safetensors", 1.2, 1.2)))
                .vae("sdxl_vae.safetensors").clipStopAtLayer(-2).build()), output);

        JsonObject graph = onlyGraph();
        assertThat(graph.get("100")).isEqualTo(json("{'class_type':'LoraLoader','inputs':{'model':['4',0],"
                + "'clip':['4',1],'lora_name':'style/ink.safetensors','strength_model':0.8,'strength_clip':0.5}}"));
        assertThat(graph.get("101")).isEqualTo(json("{'class_type':'LoraLoader','inputs':{'model':['100',0],"
                + "'clip':['100',1],'lora_name':'detail.safetensors','strength_model':1.2,'strength_clip':1.2}}"));
        assertThat(graph.get("102")).isEqualTo(json("{'class_type':'CLIPSetLastLayer','inputs':{'clip':['101',1],"
                + "'stop_at_clip_layer':-2}}"));
        assertThat(graph.get("103")).isEqualTo(json("{'class_type':'VAELoader','inputs':{"
                + "'vae_name':'sdxl_vae.safetensors'}}"));
        assertThat(inputs(graph, "6")).isEqualTo(json("{'text':'a embedding:styles/neg.pt fox, embedding :leak',"
                + "'clip':['102',0]}"));
        assertThat(inputs(graph, "7").get("clip")).isEqualTo(json("['102',0]"));
        assertThat(inputs(graph, "10").get("model")).isEqualTo(json("['101',0]"));
        assertThat(inputs(graph, "8").get("vae")).isEqualTo(json("['103',0]"));
        assertThat(inputs(graph, "5").get("batch_size").getAsInt()).isEqualTo(2);
        assertThat(output.images()).hasSize(2).allSatisfy(image -> assertThat(image.decoded().getWidth()).isEqualTo(64));
        assertThat(output.images().get(0).pixels()).isNotEqualTo(output.images().get(1).pixels());
    }

    @Test
    void modelNamesGoToAWindowsServerWithBackslashes() throws Exception {
        fixture.standIn.setModels("CheckpointLoaderSimple", List.of("sdxl\\base.safetensors"));
        fixture.standIn.setModels("LoraLoader", List.of("style\\ink.safetensors"));
        ComfyUiApiBackend backend = fixture.running();
        assertThat(fixture.lastContext().models().get(ModelType.STABLE_DIFFUSION)).containsExactly(MODEL);
        assertThat(fixture.lastContext().features()).containsExactlyInAnyOrder("comfyui", "folderbackslash");
        RecordingOutput output = new RecordingOutput();

        backend.generate(job(parameters().prompt("<embedding:a/b>").loras(List.of(new LoraWeight(
                "style/ink.safetensors", 1, 1))).build()), output);

        JsonObject graph = onlyGraph();
        assertThat(inputs(graph, "4").get("ckpt_name").getAsString()).isEqualTo("sdxl\\base.safetensors");
        assertThat(inputs(graph, "100").get("lora_name").getAsString()).isEqualTo("style\\ink.safetensors");
        assertThat(inputs(graph, "6").get("text").getAsString()).isEqualTo("embedding:a\\b");
        assertThat(output.images()).hasSize(1);
    }

    @Test
    void withSwarmSaveImageWsTheImagesComeOverTheSocket() throws Exception {
        fixture.standIn.serveSwarmSaveImageWs(true);
        ComfyUiApiBackend backend = fixture.running();
        RecordingOutput output = new RecordingOutput();

        backend.generate(job(parameters().batchSize(2).size(80, 64).build()), output);

        assertThat(onlyGraph().get("9")).isEqualTo(json("{'class_type':'SwarmSaveImageWS','inputs':{"
                + "'images':['8',0],'bit_depth':'8bit'}}"));
        assertThat(output.images()).hasSize(2).allSatisfy(image -> {
            assertThat(image.mediaType()).isEqualTo("image/png");
            assertThat(image.decoded().getWidth()).isEqualTo(80);
            assertThat(image.decoded().getHeight()).isEqualTo(64);
        });
        assertThat(fixture.calls("GET", "/view")).isEmpty();
        assertThat(fixture.calls("POST", "/history")).hasSize(1);
    }

    @Test
    void previewsAndRisingProgressAreReported() throws Exception {
        ComfyUiApiBackend backend = fixture.running();
        RecordingOutput jpeg = new RecordingOutput();
        backend.generate(job(parameters().steps(4).build()), jpeg);
        fixture.standIn.sendPngPreviews(true);
        RecordingOutput png = new RecordingOutput();
        backend.generate(job(parameters().steps(2).build()), png);

        assertThat(jpeg.previews()).hasSize(4).allSatisfy(preview -> {
            assertThat(preview.mediaType()).isEqualTo("image/jpeg");
            assertThat(preview.decoded().getWidth()).isEqualTo(8);
        });
        assertThat(png.previews()).hasSize(2).allSatisfy(preview -> assertThat(preview.mediaType())
                .isEqualTo("image/png"));
        List<RecordingOutput.Progress> progress = jpeg.progress();
        for (int i = 1; i < progress.size(); i++) {
            assertThat(progress.get(i).overall()).as("overall progress %s", progress)
                    .isGreaterThanOrEqualTo(progress.get(i - 1).overall());
        }
        // 7 nodes: the sampler is the 5th to run, the save node the 7th of 7 + 1.
        assertThat(progress).extracting(RecordingOutput.Progress::current).contains(0.25, 0.5, 0.75, 1.0);
        assertThat(progress.get(progress.size() - 1).overall()).isEqualTo(6.0 / 8);
    }

    @Test
    void aCheckpointComfyUiDoesNotHaveFailsWithItsValidationErrorsInOneMessage() throws Exception {
        ComfyUiApiBackend backend = fixture.running();

        assertThatThrownBy(() -> backend.generate(job(parameters().model("missing.safetensors").steps(0).build()),
                new RecordingOutput()))
                .isInstanceOf(GenerationException.class)
                .hasMessage("ComfyUI errored: Prompt outputs failed validation. Node 4 (CheckpointLoaderSimple), input"
                        + " ckpt_name: Value not in list: ckpt_name: 'missing.safetensors' not in"
                        + " ['sdxl/base.safetensors', 'flux.safetensors']. Node 10 (KSamplerAdvanced), input steps:"
                        + " Value 0 smaller than min of 1.");
        assertThat(fixture.calls("POST", "/history")).isEmpty();
    }

    @Test
    void aWorkflowWithAnUnknownNodeFailsReadably() throws Exception {
        ComfyUiApiBackend backend = fixture.running();

        assertThatThrownBy(() -> backend.generate(job(parameters().workflow(
                "{\"1\":{\"class_type\":\"NoSuchNode\",\"inputs\":{}}}").build()), new RecordingOutput()))
                .isInstanceOf(GenerationException.class)
                .hasMessage("ComfyUI errored: Cannot execute because node NoSuchNode does not exist: Node ID '#1'.");
    }

    @Test
    void anExecutionErrorFailsWithComfyUisExceptionMessage() throws Exception {
        fixture.standIn.failExecutionAt("VAEDecode", "Allocation on device would exceed allowed memory.\n");
        ComfyUiApiBackend backend = fixture.running();

        assertThatThrownBy(() -> backend.generate(job(parameters().build()), new RecordingOutput()))
                .isInstanceOf(GenerationException.class)
                .hasMessage("ComfyUI execution error: Allocation on device would exceed allowed memory.");
        String promptId = fixture.standIn.prompts().get(0).promptId();
        await().atMost(GenerationFixture.PATIENCE).until(() -> fixture.calls("POST", "/history")
                .contains("POST /history {\"delete\":[\"" + promptId + "\"]}"));
        assertThat(fixture.calls("POST", "/interrupt")).isEmpty();
    }

    @Test
    void aRawWorkflowIsPostedAsGivenAndItsSavedImagesCollected() throws Exception {
        ComfyUiApiBackend backend = fixture.running();
        String workflow = "{\"1\":{\"class_type\":\"EmptyImage\",\"inputs\":{\"width\":40,\"height\":24,"
                + "\"batch_size\":1,\"color\":16711680}},\"2\":{\"class_type\":\"ImageInvert\",\"inputs\":"
                + "{\"image\":[\"1\",0]}},\"3\":{\"class_type\":\"SaveImage\",\"inputs\":{\"images\":[\"2\",0],"
                + "\"filename_prefix\":\"mine\"}},\"4\":{\"class_type\":\"PreviewImage\",\"inputs\":{\"images\":"
                + "[\"2\",0]}}}";
        RecordingOutput output = new RecordingOutput();

        backend.generate(job(parameters().model(null).workflow(workflow).build()), output);

        assertThat(onlyGraph()).isEqualTo(JsonParser.parseString(workflow));
        // The saved image counts; PreviewImage's temporary one does not.
        assertThat(output.images()).singleElement().satisfies(image -> {
            assertThat(image.decoded().getWidth()).isEqualTo(40);
            assertThat(image.decoded().getRGB(0, 0) & 0xFFFFFF).isEqualTo(0xFF0000);
        });
    }

    @Test
    void aHistoryEntryThatAppearsLateIsStillRead() throws Exception {
        fixture.standIn.setHistoryDelay(Duration.ofMillis(600));
        ComfyUiApiBackend backend = fixture.running();
        RecordingOutput output = new RecordingOutput();

        backend.generate(job(parameters().build()), output);

        assertThat(output.images()).hasSize(1);
        assertThat(fixture.requests().stream().filter(request -> request.path().startsWith("/history/")).count())
                .isGreaterThan(1);
    }

    @Test
    void refreshModelsReportsWhatComfyUiListsNow() throws Exception {
        ComfyUiApiBackend backend = fixture.running();
        fixture.standIn.setModels("CheckpointLoaderSimple", List.of("new/model.safetensors"));
        fixture.standIn.setModels("CLIPLoader", List.of("t5.safetensors"));

        backend.refreshModels();

        assertThat(fixture.lastContext().models()).containsEntry(ModelType.STABLE_DIFFUSION,
                List.of("new/model.safetensors")).containsEntry(ModelType.CLIP, List.of("t5.safetensors"));
        assertThat(fixture.lastContext().nodeTypes()).contains("KSamplerAdvanced", "SaveImage");
        assertThat(fixture.lastContext().statusMessage()).endsWith(", 5 models");
    }

    private JsonObject onlyGraph() {
        assertThat(fixture.standIn.prompts()).hasSize(1);
        return fixture.standIn.prompts().get(0).graph();
    }

    private static String prefixOf(JsonObject graph) {
        return inputs(graph, "9").get("filename_prefix").getAsString();
    }

    private static JsonObject inputs(JsonObject graph, String node) {
        return graph.getAsJsonObject(node).getAsJsonObject("inputs");
    }

    /** JSON written with single quotes, for readability. */
    private static JsonElement json(String text) {
        return JsonParser.parseString(text.replace('\'', '"'));
    }
}
