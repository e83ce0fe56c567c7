package dev.switchboard.plugins.comfyui.connection;

import java.util.Set;

/**
 * The feature flags a ComfyUI backend advertises: exactly what its generator implements (generation.md 5.2 #7 and
 * 5.6 #1), since a SwarmUI master sends a backend every request whose flags it advertises. That is {@code comfyui}
 * (sampler, scheduler and raw workflows) and the model path separator, {@code folderslash} or
 * {@code folderbackslash}. SwarmUI's node-derived flags ({@code variation_seed}, {@code freeu}, {@code refiners},
 * {@code controlnet}, {@code video}, ...) stay off until the generator implements them.
 */
final class ComfyUiFeatures {

    static final String COMFYUI = "comfyui";
    static final String FOLDER_SLASH = "folderslash";
    static final String FOLDER_BACKSLASH = "folderbackslash";

    private ComfyUiFeatures() {
    }

    /**
     * Returns the features advertised before the server was asked anything.
     *
     * @return {@code comfyui} and {@code folderslash}
     */
    static Set<String> beforeLoad() {
        return Set.of(COMFYUI, FOLDER_SLASH);
    }

    /**
     * Returns the features of a server whose {@code /object_info} was loaded.
     *
     * @param info what the server listed
     * @return {@code comfyui} and the server's path separator flag
     */
    static Set<String> of(ObjectInfo info) {
        return Set.of(COMFYUI, info.usesBackslashPaths() ? FOLDER_BACKSLASH : FOLDER_SLASH);
    }
}
