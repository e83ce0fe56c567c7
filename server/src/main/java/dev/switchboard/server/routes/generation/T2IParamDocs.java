package dev.switchboard.server.routes.generation;

import dev.switchboard.server.http.ApiField;
import dev.switchboard.server.http.ApiParam;
import dev.switchboard.server.http.JsonType;
import java.util.ArrayList;
import java.util.List;

/** The generation routes' documented parameters and answers, from SwarmUI's parameter catalog ({@link T2IParams}). */
final class T2IParamDocs {
    static final ApiParam IMAGES = ApiParam.requiredInt("images", "How many images to make.");

    /** {@code images} first, then every other parameter read, with its type and default. */
    static final List<ApiParam> PARAMETERS = parameters();

    static final ApiField[] LIST_ANSWER = {
        ApiField.of("list", JsonType.ARRAY, "One object per parameter: name, id, description, type, subtype,"
                + " default, min, max, step, values, group, feature_flag, toggleable, visible, ..."),
        ApiField.of("groups", JsonType.ARRAY, "The parameter groups."),
        ApiField.of("models", JsonType.OBJECT, "Per model kind, the [name, null] pairs the backends listed."),
        ApiField.of("model_compat_classes", JsonType.OBJECT, "Empty."),
        ApiField.of("model_classes", JsonType.OBJECT, "Empty."),
        ApiField.of("wildcards", JsonType.ARRAY, "Empty."),
        ApiField.of("param_edits", JsonType.OBJECT, "null."),
    };

    static final ApiField[] STATUS_ANSWER = {
        ApiField.of("status", JsonType.OBJECT, "waiting_gens, loading_models, waiting_backends, live_gens."),
        ApiField.of("backend_status", JsonType.OBJECT, "status, class, message, any_loading."),
        ApiField.of("supported_features", JsonType.ARRAY, "The features of enabled backends that are not idle."),
    };

    private T2IParamDocs() {
    }

    private static List<ApiParam> parameters() {
        List<ApiParam> all = new ArrayList<>();
        all.add(IMAGES);
        for (T2IParam param : T2IParams.USED.values()) {
            if (!param.id().equals(IMAGES.name())) {
                all.add(of(param));
            }
        }
        return List.copyOf(all);
    }

    private static ApiParam of(T2IParam param) {
        String text = param.defaultValue();
        String description = param.description()
                + (param.values().isEmpty() ? "" : " One of: " + String.join(", ", param.values()) + ".")
                + (param.min() == null ? "" : " From " + number(param.min()) + " to " + number(param.max()) + ".");
        return switch (param.type()) {
            case "integer" -> new ApiParam(param.id(), JsonType.INTEGER, false, Long.parseLong(text), description);
            case "decimal" -> new ApiParam(param.id(), JsonType.NUMBER, false, Double.parseDouble(text), description);
            case "boolean" -> new ApiParam(param.id(), JsonType.BOOLEAN, false, Boolean.parseBoolean(text),
                    description);
            default -> new ApiParam(param.id(), JsonType.STRING, false, text, description);
        };
    }

    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : Double.toString(value);
    }
}
