package dev.switchboard.server.outputs;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

/**
 * The metadata embedded in each output, in SwarmUI's shape: {@code {"sui_image_params": {...}, "sui_extra_data":
 * {"date": "yyyy-MM-dd"}}}, where the image parameters are the typed values under their SwarmUI ids followed by
 * every other parameter used, in order. Read back by the gallery, so the page can offer "use these settings".
 */
final class OutputMetadata {
    /** The PNG text keyword SwarmUI (and SD-WebUI) store generation parameters under. */
    static final String PNG_KEYWORD = "parameters";
    static final String IMAGE_PARAMS = "sui_image_params";
    static final String EXTRA_DATA = "sui_extra_data";

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    private OutputMetadata() {
    }

    /** @return the metadata of an output as compact JSON text */
    static String json(OutputDescription description) {
        JsonObject params = new JsonObject();
        params.addProperty("prompt", description.prompt());
        params.addProperty("negativeprompt", description.negativePrompt());
        params.addProperty("model", description.model());
        params.addProperty("seed", description.seed());
        params.addProperty("steps", description.steps());
        params.addProperty("cfgscale", description.cfgScale());
        params.addProperty("width", description.width());
        params.addProperty("height", description.height());
        description.parameters().forEach((name, value) -> {
            if (!params.has(name)) {
                params.add(name, toJson(value));
            }
        });
        JsonObject extra = new JsonObject();
        extra.addProperty("date", description.request().time().format(DateTimeFormatter.ISO_LOCAL_DATE));
        JsonObject metadata = new JsonObject();
        metadata.add(IMAGE_PARAMS, params);
        metadata.add(EXTRA_DATA, extra);
        return GSON.toJson(metadata);
    }

    /** @return the text parsed as a JSON object, or empty when it is not one (a file some other program wrote) */
    static Optional<JsonObject> parse(String text) {
        try {
            JsonElement parsed = JsonParser.parseString(text);
            return parsed.isJsonObject() ? Optional.of(parsed.getAsJsonObject()) : Optional.empty();
        } catch (JsonParseException e) {
            return Optional.empty();
        }
    }

    private static JsonElement toJson(Object value) {
        if (value instanceof List<?> list) {
            JsonArray array = new JsonArray();
            list.forEach(element -> array.add(toJson(element)));
            return array;
        }
        if (value instanceof Boolean flag) {
            return new JsonPrimitive(flag);
        }
        if (value instanceof Number number) {
            return new JsonPrimitive(number);
        }
        return new JsonPrimitive((String) value);
    }
}
