package dev.switchboard.testkit.sdwebui;

import static java.util.Objects.requireNonNull;

/**
 * One checkpoint as SD-WebUI lists it in {@code GET /sdapi/v1/sd-models} (its {@code SDModelItem}).
 *
 * @param title what {@code options.sd_model_checkpoint} holds: the file's path under the models folder and the
 *     short hash in brackets, e.g. {@code sd15/v1-5-pruned-emaonly.safetensors [6ce0161689]}
 * @param modelName the path without extension, e.g. {@code sd15/v1-5-pruned-emaonly}
 * @param hash the short hash (10 hex digits), e.g. {@code 6ce0161689}
 * @param sha256 the full SHA-256, or null when SD-WebUI has not computed it yet
 * @param filename the file's absolute path on the WebUI's machine
 */
public record SdWebUiModel(String title, String modelName, String hash, String sha256, String filename) {
    /** Checks the required fields. */
    public SdWebUiModel {
        requireNonNull(title, "title is null");
        requireNonNull(modelName, "modelName is null");
        requireNonNull(filename, "filename is null");
    }

    /**
     * Describes a checkpoint the way SD-WebUI does for a file under {@code models/Stable-diffusion/}.
     *
     * @param relativePath the file's path under the models folder, with {@code /}, e.g. {@code sd15/a.safetensors}
     * @param hash the short hash, e.g. {@code 6ce0161689}
     * @return the model
     */
    public static SdWebUiModel of(String relativePath, String hash) {
        requireNonNull(relativePath, "relativePath is null");
        requireNonNull(hash, "hash is null");
        int dot = relativePath.lastIndexOf('.');
        String withoutExtension = dot > relativePath.lastIndexOf('/') ? relativePath.substring(0, dot) : relativePath;
        return new SdWebUiModel(relativePath + " [" + hash + "]", withoutExtension, hash, null,
                "/opt/stable-diffusion-webui/models/Stable-diffusion/" + relativePath);
    }
}
