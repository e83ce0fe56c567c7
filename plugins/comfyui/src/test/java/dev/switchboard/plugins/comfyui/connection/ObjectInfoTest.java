package dev.switchboard.plugins.comfyui.connection;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.switchboard.api.generation.ModelType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

final class ObjectInfoTest {

    @Test
    void readsTheRecordedNodeEntries() throws IOException {
        ObjectInfo info = ObjectInfo.parse(recorded());

        assertThat(info.nodeTypes()).hasSize(19).contains("KSampler", "KSamplerAdvanced", "CheckpointLoaderSimple",
                "FreeU");
        assertThat(info.hasNode("KSampler")).isTrue();
        assertThat(info.hasNode("SwarmKSampler")).isFalse();
        // A ComfyUI without models lists only VAELoader's built-in pixel_space entry.
        assertThat(info.models(ModelKind.VAE)).containsExactly("pixel_space");
        assertThat(info.models(ModelKind.STABLE_DIFFUSION)).isEmpty();
        assertThat(info.modelCount()).isEqualTo(1);
        assertThat(info.usesBackslashPaths()).isFalse();
    }

    @Test
    void readsBothOptionListFormatsAndNormalisesBackslashes() {
        ObjectInfo info = ObjectInfo.parse(json("{"
                + "\"CheckpointLoaderSimple\":{\"input\":{\"required\":{\"ckpt_name\":[[\"a\\\\b.safetensors\",\"c.safetensors\"],{}]}}},"
                + "\"UNETLoader\":{\"input\":{\"required\":{\"unet_name\":[[\"c.safetensors\",\"d.safetensors\"]]}}},"
                + "\"CLIPLoader\":{\"input\":{\"required\":{\"clip_name\":[\"COMBO\",{\"options\":[\"t5\\\\xxl.safetensors\"]}]}}},"
                + "\"LoraLoader\":{\"input\":{\"required\":{\"model\":[\"MODEL\"],\"lora_name\":[[\"l.safetensors\"]]}}}"
                + "}"));

        // Main models are what CheckpointLoaderSimple lists; UNETLoader's files are not loadable by the graph.
        assertThat(info.models(ModelKind.STABLE_DIFFUSION)).containsExactly("a/b.safetensors", "c.safetensors");
        assertThat(info.models(ModelKind.CLIP)).containsExactly("t5/xxl.safetensors");
        assertThat(info.models(ModelKind.LORA)).containsExactly("l.safetensors");
        assertThat(info.modelsByType()).hasSize(ModelType.values().length)
                .containsEntry(ModelType.CLIP, List.of("t5/xxl.safetensors"));
        assertThat(info.usesBackslashPaths()).isTrue();
        assertThat(info.serverName("sdxl/base.safetensors")).isEqualTo("sdxl\\base.safetensors");
        assertThat(info.modelCount()).isEqualTo(4);
    }

    @Test
    void toleratesEntriesInUnexpectedShapes() {
        ObjectInfo info = ObjectInfo.parse(json("{"
                + "\"Weird\":\"not an object\","
                + "\"CheckpointLoaderSimple\":{\"input\":{\"required\":{\"ckpt_name\":[\"STRING\",{}]}}},"
                + "\"VAELoader\":{\"input\":{}},"
                + "\"LoraLoader\":{\"input\":{\"required\":{\"lora_name\":[[1,null,\"ok.safetensors\",[\"x\"]]]}}},"
                + "\"ControlNetLoader\":{\"input\":{\"required\":{\"control_net_name\":[\"COMBO\",{\"options\":7}]}}},"
                + "\"CLIPVisionLoader\":{\"input\":{\"required\":{\"clip_name\":[]}}}"
                + "}"));

        assertThat(info.nodeTypes()).hasSize(6);
        assertThat(info.models(ModelKind.STABLE_DIFFUSION)).isEmpty();
        assertThat(info.models(ModelKind.LORA)).containsExactly("ok.safetensors");
        assertThat(info.modelCount()).isEqualTo(1);
    }

    @Test
    void emptyInfoHasNothing() {
        assertThat(ObjectInfo.empty().nodeTypes()).isEmpty();
        assertThat(ObjectInfo.empty().models()).hasSize(ModelKind.values().length)
                .allSatisfy((kind, models) -> assertThat(models).isEmpty());
    }

    @Test
    void featuresAreWhatTheGeneratorImplementsWithThePathStyle() throws IOException {
        assertThat(ComfyUiFeatures.beforeLoad()).containsExactlyInAnyOrder("comfyui", "folderslash");
        assertThat(ComfyUiFeatures.of(ObjectInfo.parse(recorded()))).containsExactlyInAnyOrder("comfyui", "folderslash");
        // Nodes from which SwarmUI derives variation_seed, yolov8 or tensorrt add nothing: the generator uses none.
        assertThat(ComfyUiFeatures.of(ObjectInfo.parse(json("{\"SwarmKSampler\":{},\"SwarmYoloDetection\":{},"
                + "\"CheckpointLoaderSimple\":{\"input\":{\"required\":{\"ckpt_name\":[[\"x\\\\y.safetensors\"]]}}}}"))))
                .containsExactlyInAnyOrder("comfyui", "folderbackslash");
    }

    private static JsonObject json(String text) {
        return JsonParser.parseString(text).getAsJsonObject();
    }

    /** The node entries the testkit copied from a real ComfyUI 0.3.64. */
    private static JsonObject recorded() throws IOException {
        try (InputStream in = ObjectInfoTest.class.getResourceAsStream("/dev/switchboard/testkit/comfyui/object_info.json")) {
            assertThat(in).as("testkit resource").isNotNull();
            return json(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
