package dev.switchboard.server.routes.models;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import dev.switchboard.api.generation.ModelType;
import dev.switchboard.server.generation.ModelCatalog;
import dev.switchboard.server.http.ApiCall;
import dev.switchboard.server.http.ApiError;
import dev.switchboard.server.http.ApiField;
import dev.switchboard.server.http.ApiParam;
import dev.switchboard.server.http.ApiRoute;
import dev.switchboard.server.http.JsonType;
import dev.switchboard.server.http.RouteDoc;
import dev.switchboard.server.limits.UserLimits;
import dev.switchboard.server.sessions.Permission;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * {@code ListModels} (generation.md 2.5 and 1.2): the models of one sub-type under a folder, at most {@code depth}
 * levels down, as SwarmUI's model objects (every field a master reads, never null where it converts it), and the
 * folders on the way. Answers from the backends' reported lists, leaving out the models the session's user may not
 * use ({@link UserLimits#mayUseModel}) and the folders that hold only such models.
 */
final class ListModelsRoute implements ApiRoute {
    private static final ApiParam PATH = ApiParam.requiredString("path", "The folder to list; empty for the top.");
    private static final ApiParam DEPTH = ApiParam.requiredInt("depth", "How many folder levels down (1 to 20).");
    private static final ApiParam SUBTYPE = ApiParam.optionalString("subtype", "Stable-Diffusion",
            "The kind of model: Stable-Diffusion, LoRA, VAE, ControlNet, Clip, ClipVision, Embedding (Wildcards"
                    + " answers nothing).");
    private static final ApiParam SORT_BY = ApiParam.optionalString("sortBy", "Name",
            "Name, Title, DateCreated or DateModified.");
    private static final ApiParam ALLOW_REMOTE = ApiParam.optionalBool("allowRemote", true,
            "Accepted for SwarmUI's clients; every model listed comes from a backend.");
    private static final ApiParam SORT_REVERSE = ApiParam.optionalBool("sortReverse", false, "Reverse the order.");
    private static final ApiParam DATA_IMAGES = ApiParam.optionalBool("dataImages", false,
            "Accepted for SwarmUI's clients; no preview images are known.");

    private final ModelCatalog models;
    private final UserLimits limits;

    @Inject
    ListModelsRoute(ModelCatalog models, UserLimits limits) {
        this.models = models;
        this.limits = limits;
    }

    @Override
    public String name() {
        return "ListModels";
    }

    @Override
    public Permission permission() {
        return Permission.FUNDAMENTAL_MODEL_ACCESS;
    }

    /** Reads kept snapshots only. */
    @Override
    public boolean quick() {
        return true;
    }

    @Override
    public RouteDoc doc() {
        return RouteDoc.summary("The models of one kind under a folder, at most depth levels down, from the lists"
                + " the backends reported, and the folders on the way; models the user's roles do not allow are left"
                + " out.")
                .params(PATH, DEPTH, SUBTYPE, SORT_BY, ALLOW_REMOTE, SORT_REVERSE, DATA_IMAGES)
                .answers(ApiField.of("folders", JsonType.ARRAY, "The folders, sorted."),
                        ApiField.of("files", JsonType.ARRAY, "One SwarmUI model object per model (name, title,"
                                + " author, description, preview_image, loaded, architecture, class, ...)."));
    }

    @Override
    public JsonObject handle(ApiCall call) {
        String path = PATH.readString(call);
        int depth = Math.max(1, Math.min(20, DEPTH.readInt(call)));
        String subtype = SUBTYPE.readString(call);
        String sortBy = SORT_BY.readString(call);
        ALLOW_REMOTE.readBool(call);
        boolean reverse = SORT_REVERSE.readBool(call);
        DATA_IMAGES.readBool(call);
        if (!List.of("Name", "Title", "DateCreated", "DateModified").contains(sortBy)) {
            throw new ApiError("Invalid sort mode '" + sortBy + "'.");
        }
        Optional<ModelType> type = ModelType.fromWireName(subtype);
        JsonObject result = new JsonObject();
        JsonArray folders = new JsonArray();
        JsonArray files = new JsonArray();
        result.add("folders", folders);
        result.add("files", files);
        if (type.isEmpty()) {
            if (subtype.equalsIgnoreCase("Wildcards")) {
                return result;
            }
            throw new ApiError("Invalid sub-type.");
        }
        String prefix = path.replace('\\', '/').replaceAll("^/+|/+$", "");
        prefix = prefix.isEmpty() ? "" : prefix + "/";
        TreeSet<String> folderNames = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        List<ModelCatalog.Entry> listed = new ArrayList<>();
        Predicate<String> allowed = limits.models(call.session().orElseThrow().userId());
        for (ModelCatalog.Entry entry : models.list(type.get())) {
            if (!entry.name().startsWith(prefix) || !allowed.test(entry.name())) {
                continue;
            }
            String[] parts = entry.name().substring(prefix.length()).split("/");
            for (int level = 1; level < parts.length && level <= depth; level++) {
                folderNames.add(prefix + String.join("/", List.of(parts).subList(0, level)));
            }
            if (parts.length - 1 <= depth - 1) {
                listed.add(entry);
            }
        }
        Comparator<ModelCatalog.Entry> order = sortBy.equals("Title")
                ? Comparator.comparing((ModelCatalog.Entry entry) -> title(entry.name()).toLowerCase(Locale.ROOT))
                : Comparator.comparing((ModelCatalog.Entry entry) -> entry.name().toLowerCase(Locale.ROOT));
        listed.sort(reverse ? order.reversed() : order);
        folderNames.forEach(folders::add);
        listed.forEach(entry -> files.add(model(entry)));
        return result;
    }

    /** A model object with SwarmUI's keys in CUR order; a master converts loaded and the sizes without checks. */
    static JsonObject model(ModelCatalog.Entry entry) {
        JsonObject json = new JsonObject();
        json.addProperty("name", entry.name());
        json.addProperty("title", title(entry.name()));
        json.addProperty("author", "");
        json.addProperty("description", "");
        json.add("preview_image", JsonNull.INSTANCE);
        json.addProperty("loaded", entry.loaded());
        json.add("architecture", JsonNull.INSTANCE);
        json.add("class", JsonNull.INSTANCE);
        json.add("compat_class", JsonNull.INSTANCE);
        json.addProperty("resolution", "0x0");
        json.addProperty("standard_width", 0);
        json.addProperty("standard_height", 0);
        json.addProperty("license", "");
        json.addProperty("date", "");
        json.addProperty("prediction_type", "");
        json.addProperty("usage_hint", "");
        json.addProperty("trigger_phrase", "");
        json.addProperty("merged_from", "");
        json.add("tags", JsonNull.INSTANCE);
        json.addProperty("is_supported_model_format", true);
        json.addProperty("is_negative_embedding", false);
        json.addProperty("lora_default_weight", "");
        json.addProperty("lora_default_confinement", "");
        json.addProperty("local", true);
        json.addProperty("time_created", 0);
        json.addProperty("time_modified", 0);
        json.addProperty("hash", "");
        json.addProperty("hash_sha256", "");
        json.addProperty("special_format", "");
        return json;
    }

    /** The file's name without its folders and extension. */
    static String title(String name) {
        String file = name.substring(name.lastIndexOf('/') + 1);
        int dot = file.lastIndexOf('.');
        return dot > 0 ? file.substring(0, dot) : file;
    }
}
