package dev.switchboard.server.outputs;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * File extensions and content types, SwarmUI's table of common types: the type a file is served with, and the
 * extension an output of a media type is saved with. Unknown extensions are served as
 * {@code application/octet-stream}; media of an unknown type are saved as {@code .dat} (which SwarmUI's table maps
 * back to {@code application/octet-stream}).
 */
final class MediaTypes {
    static final String OCTET_STREAM = "application/octet-stream";

    private static final Map<String, String> BY_EXTENSION = table();
    /** The extension each media type is saved with (the first extension listed for it). */
    private static final Map<String, String> EXTENSION_OF = extensions();
    /** The images the gallery lists. */
    private static final Set<String> GALLERY = Set.of("png", "jpg", "jpeg", "webp", "gif");

    private MediaTypes() {
    }

    /** @return the content type a file name is served with, from its extension (any case) */
    static String contentTypeOf(String fileName) {
        return BY_EXTENSION.getOrDefault(extensionOf(fileName), OCTET_STREAM);
    }

    /** @return the extension an output of this media type is saved with, {@code dat} when it is unknown */
    static String extensionFor(String mediaType) {
        return EXTENSION_OF.getOrDefault(essence(mediaType), "dat");
    }

    /** @return the media type without parameters, lower case: {@code "Image/PNG; x=y"} is {@code "image/png"} */
    static String essence(String mediaType) {
        int semicolon = mediaType.indexOf(';');
        return (semicolon < 0 ? mediaType : mediaType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }

    /** Whether the file is an image the gallery shows. */
    static boolean isGalleryImage(String fileName) {
        return GALLERY.contains(extensionOf(fileName));
    }

    /** @return the text after the last dot, lower case, or "" */
    static String extensionOf(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static Map<String, String> table() {
        Map<String, String> table = new LinkedHashMap<>();
        table.put("png", "image/png");
        table.put("jpg", "image/jpeg");
        table.put("jpeg", "image/jpeg");
        table.put("webp", "image/webp");
        table.put("gif", "image/gif");
        table.put("ico", "image/x-icon");
        table.put("svg", "image/svg+xml");
        table.put("mp3", "audio/mpeg");
        table.put("wav", "audio/x-wav");
        table.put("js", "application/javascript");
        table.put("ogg", "application/ogg");
        table.put("json", "application/json");
        table.put("zip", "application/zip");
        table.put("dat", OCTET_STREAM);
        table.put("css", "text/css");
        table.put("htm", "text/html");
        table.put("html", "text/html");
        table.put("txt", "text/plain");
        table.put("yml", "text/plain");
        table.put("fds", "text/plain");
        table.put("xml", "text/xml");
        table.put("mp4", "video/mp4");
        table.put("mpeg", "video/mpeg");
        table.put("mov", "video/quicktime");
        table.put("webm", "video/webm");
        table.put("aac", "audio/aac");
        table.put("wave", "audio/x-wav");
        table.put("flac", "audio/flac");
        return Map.copyOf(table);
    }

    private static Map<String, String> extensions() {
        // Only media a generator can deliver; never a type a browser would run (html, svg, js).
        Map<String, String> extensions = new LinkedHashMap<>();
        for (String extension : new String[] {"png", "jpg", "webp", "gif", "mp4", "webm", "mov", "mpeg", "mp3", "wav",
            "flac", "aac"}) {
            extensions.putIfAbsent(BY_EXTENSION.get(extension), extension);
        }
        extensions.put("image/jpg", "jpg");
        return Map.copyOf(extensions);
    }
}
