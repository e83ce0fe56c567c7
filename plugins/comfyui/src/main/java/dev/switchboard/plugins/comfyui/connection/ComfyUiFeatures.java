package dev.switchboard.plugins.comfyui.connection;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The feature flags a ComfyUI backend advertises, derived the way SwarmUI derives them: a base set, minus
 * the presumed features whose nodes the server lacks, plus features unlocked by specific node types, plus
 * the model path separator ({@code folderslash} or {@code folderbackslash}).
 */
final class ComfyUiFeatures {

    static final String FOLDER_SLASH = "folderslash";
    static final String FOLDER_BACKSLASH = "folderbackslash";

    /** Every ComfyUI backend's starting set, as in SwarmUI. */
    static final Set<String> BASE = ordered("comfyui", "refiners", "controlnet", "endstepsearly", "seamless", "video",
            "variation_seed", "freeu", "yolov8");

    /** Base features that are dropped unless the server has the node providing them. */
    private static final Set<String> PRESUMED = Set.of("variation_seed", "freeu", "yolov8");

    /** Node types that unlock a feature (SwarmUI's node-to-feature facts). */
    private static final Map<String, String> NODE_FEATURES = Map.ofEntries(
            Map.entry("SwarmLoadImageB64", "comfy_loadimage_b64"),
            Map.entry("SwarmSaveImageWS", "comfy_saveimage_ws"),
            Map.entry("SwarmJustLoadTheModelPlease", "comfy_just_load_model"),
            Map.entry("SwarmLatentBlendMasked", "comfy_latent_blend_masked"),
            Map.entry("SwarmKSampler", "variation_seed"),
            Map.entry("FreeU", "freeu"),
            Map.entry("AITemplateLoader", "aitemplate"),
            Map.entry("IPAdapter", "ipadapter"),
            Map.entry("IPAdapterApply", "ipadapter"),
            Map.entry("IPAdapterModelLoader", "cubiqipadapter"),
            Map.entry("IPAdapterUnifiedLoader", "cubiqipadapterunified"),
            Map.entry("MiDaS-DepthMapPreprocessor", "controlnetpreprocessors"),
            Map.entry("RIFE VFI", "frameinterps"),
            Map.entry("GIMMVFI_interpolate", "frameinterps_gimmvfi"),
            Map.entry("Sam2Segmentation", "sam2"),
            Map.entry("SwarmYoloDetection", "yolov8"),
            Map.entry("PixArtCheckpointLoader", "extramodelspixart"),
            Map.entry("SanaCheckpointLoader", "extramodelssana"),
            Map.entry("CheckpointLoaderNF4", "bnb_nf4"),
            Map.entry("UnetLoaderGGUF", "gguf"),
            Map.entry("TensorRTLoader", "tensorrt"),
            Map.entry("TeaCache", "teacache"));

    private ComfyUiFeatures() {
    }

    /**
     * Returns the features advertised before the server was asked anything.
     *
     * @return the base set plus {@code folderslash}
     */
    static Set<String> beforeLoad() {
        Set<String> features = new LinkedHashSet<>(BASE);
        features.add(FOLDER_SLASH);
        return Collections.unmodifiableSet(features);
    }

    /**
     * Returns the features of a server whose {@code /object_info} was loaded.
     *
     * @param info what the server listed
     * @return the features, in a stable order
     */
    static Set<String> of(ObjectInfo info) {
        Set<String> features = new LinkedHashSet<>(BASE);
        features.removeAll(PRESUMED);
        for (String node : info.nodeTypes()) {
            String feature = NODE_FEATURES.get(node);
            if (feature != null) {
                features.add(feature);
            }
        }
        features.add(info.usesBackslashPaths() ? FOLDER_BACKSLASH : FOLDER_SLASH);
        return Collections.unmodifiableSet(features);
    }

    private static Set<String> ordered(String... features) {
        return Collections.unmodifiableSet(new LinkedHashSet<>(List.of(features)));
    }
}
