package dev.switchboard.plugins.comfyui.generation;

import java.util.Locale;
import java.util.Map;

/** The media type of a file ComfyUI served: its {@code Content-Type} when that names an image, else its extension. */
final class MediaTypes {
    private static final Map<String, String> BY_EXTENSION = Map.of("png", "image/png", "jpg", "image/jpeg",
            "jpeg", "image/jpeg", "webp", "image/webp", "gif", "image/gif");

    private MediaTypes() {
    }

    static String of(String contentType, String filename) {
        String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (type.startsWith("image/")) {
            return type;
        }
        int dot = filename.lastIndexOf('.');
        String extension = dot < 0 ? "" : filename.substring(dot + 1).toLowerCase(Locale.ROOT);
        return BY_EXTENSION.getOrDefault(extension, "image/png");
    }
}
