package dev.switchboard.testkit.sdwebui;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.List;
import java.util.Locale;

/** The stand-in's answers that list what the WebUI has, in the shapes of SD-WebUI's {@code modules/api/models.py}. */
final class Catalog {
    private Catalog() {
    }

    static JsonObject options(String checkpoint, List<SdWebUiModel> models) {
        JsonObject options = new JsonObject();
        options.addProperty("samples_save", true);
        options.addProperty("samples_format", "png");
        options.addProperty("sd_model_checkpoint", checkpoint);
        String sha256 = models.stream().filter(model -> model.title().equals(checkpoint)).findFirst()
                .map(SdWebUiModel::sha256).orElse(null);
        options.addProperty("sd_checkpoint_hash", sha256);
        options.addProperty("sd_vae", "Automatic");
        options.addProperty("CLIP_stop_at_last_layers", 1);
        return options;
    }

    static JsonArray samplers(List<String> names) {
        JsonArray items = new JsonArray();
        for (String name : names) {
            JsonObject item = new JsonObject();
            item.addProperty("name", name);
            JsonArray aliases = new JsonArray();
            aliases.add(alias(name));
            item.add("aliases", aliases);
            item.add("options", new JsonObject());
            items.add(item);
        }
        return items;
    }

    /** Whether {@code name} is one of the samplers, by name or alias, ignoring case. */
    static boolean knowsSampler(List<String> samplers, String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        return samplers.stream().anyMatch(sampler -> sampler.toLowerCase(Locale.ROOT).equals(wanted)
                || alias(sampler).equals(wanted));
    }

    /** The stand-in's alias of a sampler, e.g. {@code dpmpp_2m} for {@code DPM++ 2M}. */
    static String alias(String sampler) {
        return sampler.toLowerCase(Locale.ROOT).replace(' ', '_').replace("++", "pp");
    }

    static JsonArray schedulers(List<String> names) {
        JsonArray items = new JsonArray();
        for (String name : names) {
            JsonObject item = new JsonObject();
            item.addProperty("name", name);
            item.addProperty("label", name.substring(0, 1).toUpperCase(Locale.ROOT) + name.substring(1));
            item.add("aliases", null);
            item.addProperty("default_rho", -1.0);
            item.addProperty("need_inner_model", false);
            items.add(item);
        }
        return items;
    }

    static JsonArray models(List<SdWebUiModel> models) {
        JsonArray items = new JsonArray();
        for (SdWebUiModel model : models) {
            JsonObject item = new JsonObject();
            item.addProperty("title", model.title());
            item.addProperty("model_name", model.modelName());
            item.addProperty("hash", model.hash());
            item.addProperty("sha256", model.sha256());
            item.addProperty("filename", model.filename());
            item.add("config", null);
            items.add(item);
        }
        return items;
    }
}
