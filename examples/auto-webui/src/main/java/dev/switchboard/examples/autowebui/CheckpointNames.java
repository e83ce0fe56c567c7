package dev.switchboard.examples.autowebui;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * SD-WebUI names a checkpoint by its path under the models folder followed by its short hash in brackets
 * ({@code sd15/v1-5.safetensors [6ce0161689]}). These rules turn such titles into model names and match them.
 */
final class CheckpointNames {
    private static final Pattern HASH_SUFFIX = Pattern.compile("\\s*\\[[0-9a-fA-F]+]\\s*$");

    private CheckpointNames() {
    }

    /** Strips a trailing {@code [hash]}: {@code a.safetensors [6ce0161689]} becomes {@code a.safetensors}. */
    static String withoutHash(String title) {
        return HASH_SUFFIX.matcher(title).replaceFirst("").trim();
    }

    /**
     * The name a checkpoint is reported to the host by: its title without the hash, with {@code /} between folders
     * even when the WebUI runs on Windows ({@code sdxl\base.safetensors [hash]} becomes {@code sdxl/base.safetensors}).
     */
    static String modelName(String title) {
        return withoutHash(title).replace('\\', '/');
    }

    /**
     * Finds the WebUI model a checkpoint setting names: the same path first, else the same file name without
     * extension, both ignoring case.
     *
     * @param checkpoint what {@code options.sd_model_checkpoint} holds
     * @param modelTitles the titles {@code sd-models} lists
     * @return the matching model's name (its title without the hash), or empty when none matches
     */
    static Optional<String> match(String checkpoint, List<String> modelTitles) {
        String wanted = modelName(checkpoint);
        List<String> names = modelTitles.stream().map(CheckpointNames::modelName).toList();
        Optional<String> exact = names.stream().filter(name -> name.equalsIgnoreCase(wanted)).findFirst();
        if (exact.isPresent()) {
            return exact;
        }
        String wantedStem = stem(wanted);
        return names.stream().filter(name -> stem(name).equals(wantedStem)).findFirst();
    }

    /** The file name without folders and extension, lower-case. */
    private static String stem(String path) {
        String name = path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
        int dot = name.lastIndexOf('.');
        return (dot > 0 ? name.substring(0, dot) : name).toLowerCase(Locale.ROOT);
    }
}
