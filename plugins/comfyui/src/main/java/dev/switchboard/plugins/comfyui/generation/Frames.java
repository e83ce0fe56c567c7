package dev.switchboard.plugins.comfyui.generation;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * ComfyUI's binary WebSocket messages: a 4-byte big-endian event type, then for event 1 (an image) a 4-byte format
 * (1 JPEG, 2 PNG, 3 WEBP, 4 GIF, 5 MP4, 6 WEBM, 7 MOV) and the bytes, for event 4 (a preview with metadata) a
 * 4-byte length, that much JSON metadata (with {@code image_type}) and the bytes.
 */
final class Frames {
    private static final int IMAGE_EVENT = 1;
    private static final int IMAGE_WITH_METADATA_EVENT = 4;
    private static final String[] FORMATS = {null, "image/jpeg", "image/png", "image/webp", "image/gif", "video/mp4",
        "video/webm", "video/quicktime"};

    private Frames() {
    }

    /**
     * An image in a binary message.
     *
     * @param mediaType e.g. {@code image/png}
     * @param data the encoded image
     */
    record Picture(String mediaType, byte[] data) {
        boolean isImage() {
            return mediaType.startsWith("image/");
        }
    }

    /** @return the image a binary message carries, or empty for other events and malformed messages */
    static Optional<Picture> picture(byte[] message) {
        if (message.length < 8) {
            return Optional.empty();
        }
        ByteBuffer buffer = ByteBuffer.wrap(message);
        int event = buffer.getInt();
        int word = buffer.getInt();
        if (event == IMAGE_EVENT) {
            if (word < 1 || word >= FORMATS.length) {
                return Optional.empty();
            }
            return Optional.of(new Picture(FORMATS[word], Arrays.copyOfRange(message, 8, message.length)));
        }
        if (event == IMAGE_WITH_METADATA_EVENT && word >= 0 && word <= message.length - 8) {
            String metadata = new String(message, 8, word, StandardCharsets.UTF_8);
            return mediaType(metadata).map(type -> new Picture(type, Arrays.copyOfRange(message, 8 + word,
                    message.length)));
        }
        return Optional.empty();
    }

    /**
     * Tells whether an image a save node sent over the socket is a final output, by SwarmUI's rule: not when the
     * node's id is below 100 (except 9, the standard graph's save node) or 50000 and above.
     *
     * @param node the id of the node that sent it, or null when unknown
     * @return true for a final image
     */
    static boolean isFinal(String node) {
        if (node == null) {
            return true;
        }
        try {
            long id = Long.parseLong(node);
            return !((id < 100 && id != 9) || id >= 50000);
        } catch (NumberFormatException e) {
            return true;
        }
    }

    private static Optional<String> mediaType(String metadata) {
        try {
            JsonElement json = JsonParser.parseString(metadata);
            JsonElement type = json.isJsonObject() ? ((JsonObject) json).get("image_type") : null;
            return type != null && type.isJsonPrimitive() ? Optional.of(type.getAsString()) : Optional.empty();
        } catch (JsonParseException e) {
            return Optional.empty();
        }
    }
}
