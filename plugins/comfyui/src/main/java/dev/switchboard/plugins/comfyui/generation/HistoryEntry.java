package dev.switchboard.plugins.comfyui.generation;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A prompt's {@code /history} entry: the files its save nodes wrote, and how it ended
 * ({@code status.messages}).
 */
final class HistoryEntry {
    /** The output lists that hold images (animated ones come as {@code gifs}). */
    private static final List<String> IMAGE_LISTS = List.of("images", "gifs");

    private final JsonObject entry;

    HistoryEntry(JsonObject entry) {
        this.entry = requireNonNull(entry, "entry is null");
    }

    /**
     * A file a node wrote.
     *
     * @param node the node's id
     * @param filename the file's name
     * @param subfolder its subfolder, possibly empty
     * @param type {@code output} (saved) or {@code temp} (a preview)
     */
    record SavedFile(String node, String filename, String subfolder, String type) {
        /** A final image is a saved one; {@code PreviewImage}'s temporary files are not. */
        boolean isFinal() {
            return type.equals("output");
        }
    }

    /** @return every file the entry lists, in the order of its outputs */
    List<SavedFile> files() {
        List<SavedFile> files = new ArrayList<>();
        JsonElement outputs = entry.get("outputs");
        if (outputs == null || !outputs.isJsonObject()) {
            return files;
        }
        for (Map.Entry<String, JsonElement> output : outputs.getAsJsonObject().entrySet()) {
            if (!output.getValue().isJsonObject()) {
                continue;
            }
            for (String list : IMAGE_LISTS) {
                JsonElement items = output.getValue().getAsJsonObject().get(list);
                if (items == null || !items.isJsonArray()) {
                    continue;
                }
                for (JsonElement item : items.getAsJsonArray()) {
                    String filename = text(item, "filename");
                    if (!filename.isEmpty()) {
                        files.add(new SavedFile(output.getKey(), filename, text(item, "subfolder"),
                                text(item, "type").isEmpty() ? "output" : text(item, "type")));
                    }
                }
            }
        }
        return files;
    }

    /** @return the data of the message the prompt ended with, when it was {@code type} */
    Optional<JsonObject> endedWith(String type) {
        JsonElement status = entry.get("status");
        JsonElement messages = status != null && status.isJsonObject() ? status.getAsJsonObject().get("messages")
                : null;
        if (messages == null || !messages.isJsonArray()) {
            return Optional.empty();
        }
        for (JsonElement message : messages.getAsJsonArray()) {
            if (message.isJsonArray() && message.getAsJsonArray().size() == 2
                    && message.getAsJsonArray().get(0).isJsonPrimitive()
                    && message.getAsJsonArray().get(0).getAsString().equals(type)
                    && message.getAsJsonArray().get(1).isJsonObject()) {
                return Optional.of(message.getAsJsonArray().get(1).getAsJsonObject());
            }
        }
        return Optional.empty();
    }

    private static String text(JsonElement object, String key) {
        JsonElement value = object.isJsonObject() ? object.getAsJsonObject().get(key) : null;
        return value != null && value.isJsonPrimitive() ? value.getAsString() : "";
    }
}
