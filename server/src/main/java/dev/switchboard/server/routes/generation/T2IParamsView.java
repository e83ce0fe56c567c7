package dev.switchboard.server.routes.generation;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import dev.switchboard.api.generation.ModelType;
import dev.switchboard.server.generation.ModelCatalog;
import dev.switchboard.server.limits.UserLimits;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The ListT2IParams object (generation.md 2.6): every parameter Switchboard reads with its SwarmUI fields and
 * Switchboard's defaults, the groups, and the models per sub-type from the backends' lists, without those the user
 * may not use.
 */
final class T2IParamsView {
    private final ModelCatalog models;
    private final UserLimits limits;

    @Inject
    T2IParamsView(ModelCatalog models, UserLimits limits) {
        this.models = models;
        this.limits = limits;
    }

    /** @param user whose allowed models to list */
    JsonObject render(String user) {
        JsonObject result = new JsonObject();
        JsonArray list = new JsonArray();
        Map<String, Integer> groups = new LinkedHashMap<>();
        int priority = 0;
        for (T2IParam param : T2IParams.USED.values()) {
            list.add(param(param, priority++));
            groups.putIfAbsent(param.group(), groups.size());
        }
        result.add("list", list);
        JsonArray groupList = new JsonArray();
        groups.forEach((name, order) -> groupList.add(group(name, order)));
        result.add("groups", groupList);
        JsonObject byType = new JsonObject();
        Predicate<String> allowed = limits.models(user);
        for (ModelType type : ModelType.values()) {
            JsonArray names = new JsonArray();
            for (ModelCatalog.Entry entry : models.list(type)) {
                if (!allowed.test(entry.name())) {
                    continue;
                }
                JsonArray pair = new JsonArray();
                pair.add(entry.name());
                pair.add(JsonNull.INSTANCE);
                names.add(pair);
            }
            byType.add(type.wireName(), names);
        }
        result.add("models", byType);
        result.add("model_compat_classes", new JsonObject());
        result.add("model_classes", new JsonObject());
        result.add("wildcards", new JsonArray());
        result.add("param_edits", JsonNull.INSTANCE);
        return result;
    }

    private static JsonObject param(T2IParam param, int priority) {
        JsonObject json = new JsonObject();
        json.addProperty("name", param.name());
        json.addProperty("id", param.id());
        json.addProperty("description", param.description());
        json.addProperty("type", param.type());
        json.addProperty("subtype", param.subtype());
        json.addProperty("default", param.defaultValue());
        json.addProperty("min", param.min() == null ? 0 : param.min());
        json.addProperty("max", param.max() == null ? 0 : param.max());
        json.addProperty("view_min", param.min() == null ? 0 : param.min());
        json.addProperty("view_max", param.max() == null ? 0 : param.max());
        json.addProperty("step", param.type().equals("decimal") ? 0.5 : 1);
        if (param.values().isEmpty()) {
            json.add("values", JsonNull.INSTANCE);
        } else {
            JsonArray values = new JsonArray();
            param.values().forEach(values::add);
            json.add("values", values);
        }
        json.add("value_names", JsonNull.INSTANCE);
        json.add("examples", JsonNull.INSTANCE);
        json.addProperty("visible", !param.group().equals(T2IParams.SWARM));
        json.addProperty("advanced", param.group().equals(T2IParams.ADVANCED));
        json.addProperty("feature_flag", param.featureFlag());
        json.addProperty("toggleable", param.toggleable());
        json.addProperty("priority", priority);
        json.addProperty("group", param.group());
        json.addProperty("always_retain", false);
        json.addProperty("do_not_save", false);
        json.addProperty("do_not_preview", false);
        json.addProperty("view_type", param.type().equals("text") && param.id().contains("prompt") ? "prompt"
                : param.type().equals("integer") || param.type().equals("decimal") ? "slider" : "normal");
        json.addProperty("extra_hidden", false);
        json.addProperty("can_sectionalize", false);
        json.addProperty("nonreusable", param.id().equals("seed"));
        json.addProperty("depend_non_default", (String) null);
        return json;
    }

    private static JsonObject group(String name, int order) {
        JsonObject json = new JsonObject();
        json.addProperty("name", name);
        json.addProperty("id", name.toLowerCase(Locale.ROOT).replace(" ", ""));
        json.addProperty("toggles", false);
        json.addProperty("open", !name.equals(T2IParams.SWARM));
        json.addProperty("priority", order);
        json.addProperty("description", "");
        json.addProperty("advanced", name.equals(T2IParams.ADVANCED) || name.equals(T2IParams.SWARM));
        json.addProperty("can_shrink", true);
        json.add("parent", JsonNull.INSTANCE);
        return json;
    }
}
