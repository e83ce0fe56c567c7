package dev.switchboard.testkit.comfyui;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The files {@code SaveImage} and {@code PreviewImage} wrote, as ComfyUI names them ({@code <prefix>_00001_.png} in
 * {@code output}, {@code ComfyUI_temp_<random>_00001_.png} in {@code temp}), served by {@code GET /view}. Kept in
 * memory. Thread-safe.
 */
final class OutputFiles {
    private final Map<String, byte[]> files = new HashMap<>();
    private final Map<String, Integer> counters = new HashMap<>();

    /**
     * Stores a file under the next free counter of its prefix.
     *
     * @return the image entry as {@code executed} and {@code /history} list it
     */
    synchronized JsonObject save(String type, String prefix, byte[] png) {
        String subfolder = "";
        String name = prefix;
        int slash = prefix.lastIndexOf('/');
        if (slash >= 0) {
            subfolder = prefix.substring(0, slash);
            name = prefix.substring(slash + 1);
        }
        int counter = counters.merge(type + "/" + prefix, 1, Integer::sum);
        String filename = String.format("%s_%05d_.png", name, counter);
        files.put(key(type, subfolder, filename), png.clone());
        JsonObject entry = new JsonObject();
        entry.addProperty("filename", filename);
        entry.addProperty("subfolder", subfolder);
        entry.addProperty("type", type);
        return entry;
    }

    synchronized Optional<byte[]> read(String type, String subfolder, String filename) {
        byte[] data = files.get(key(type, subfolder, requireNonNull(filename, "filename is null")));
        return data == null ? Optional.empty() : Optional.of(data.clone());
    }

    private static String key(String type, String subfolder, String filename) {
        return type + "\n" + subfolder + "\n" + filename;
    }
}
