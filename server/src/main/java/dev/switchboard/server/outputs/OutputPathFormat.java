package dev.switchboard.server.outputs;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.format.TextStyle;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * SwarmUI's output path format: a path with {@code [tag]}s filled from the request, each filled tag cut to 40
 * characters and cleaned ({@link OutputNames}), then the whole path cleaned again. Tags: {@code year},
 * {@code month}, {@code month_name}, {@code day}, {@code day_name}, {@code hour}, {@code minute}, {@code second},
 * {@code millisecond}, {@code request_time_inc} (3 digits), {@code prompt}, {@code negative_prompt}, {@code seed},
 * {@code cfg_scale}, {@code width}, {@code height}, {@code steps}, {@code model} (without its extension),
 * {@code user_name}, {@code number} (the clash counter) and any parameter id; an unknown tag stays as written.
 */
final class OutputPathFormat {
    /** SwarmUI's default format. */
    static final String DEFAULT = "raw/[year]-[month]-[day]/[hour][minute][request_time_inc]-[prompt]-[model]";

    /** Where {@code [number]} was, in a filled name; a private-use character no filled value keeps. */
    private static final String NUMBER_MARK = "\uE000";
    private static final Pattern TAG = Pattern.compile("\\[([^\\[\\]]*)]");
    private static final Set<String> MODEL_EXTENSIONS = Set.of("safetensors", "sft", "ckpt", "pt", "pth", "bin",
            "gguf");

    private final String format;

    OutputPathFormat(String format) {
        this.format = requireNonNull(format, "format is null");
    }

    /** Fills the format for one output of {@code user} (already a clean folder name). */
    OutputPath fill(OutputDescription description, String user) {
        Matcher tags = TAG.matcher(format);
        StringBuilder filled = new StringBuilder();
        while (tags.find()) {
            String value = value(tags.group(1), description, user);
            String text = value == null ? tags.group() : OutputNames.cleanTag(value.replace(NUMBER_MARK, ""));
            tags.appendReplacement(filled, Matcher.quoteReplacement(
                    tags.group(1).equals("number") ? NUMBER_MARK : text));
        }
        tags.appendTail(filled);
        List<String> segments = OutputNames.cleanPath(filled.toString());
        if (segments.isEmpty()) {
            return new OutputPath(List.of(), "output");
        }
        // [number] counts only in the file name; in a folder name it is dropped.
        List<String> folders = segments.subList(0, segments.size() - 1).stream()
                .map(folder -> folder.replace(NUMBER_MARK, "").strip()).filter(folder -> !folder.isEmpty()).toList();
        return new OutputPath(folders, segments.get(segments.size() - 1));
    }

    /** The model's name for a path: {@code \} as {@code /}, without a model file extension. */
    static String simplifyModel(String model) {
        String simple = model.replace('\\', '/').strip();
        int dot = simple.lastIndexOf('.');
        if (dot > simple.lastIndexOf('/') && MODEL_EXTENSIONS.contains(MediaTypes.extensionOf(simple))) {
            simple = simple.substring(0, dot);
        }
        return simple.isEmpty() ? "unknown" : simple;
    }

    private static String value(String tag, OutputDescription description, String user) {
        LocalDateTime time = description.request().time();
        return switch (tag) {
            case "year" -> String.format(Locale.ROOT, "%04d", time.getYear());
            case "month" -> two(time.getMonthValue());
            case "month_name" -> time.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
            case "day" -> two(time.getDayOfMonth());
            case "day_name" -> time.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
            case "hour" -> two(time.getHour());
            case "minute" -> two(time.getMinute());
            case "second" -> two(time.getSecond());
            case "millisecond" -> String.format(Locale.ROOT, "%03d", time.getNano() / 1_000_000);
            case "request_time_inc" -> String.format(Locale.ROOT, "%03d", description.request().increment());
            case "prompt" -> description.prompt();
            case "negative_prompt" -> description.negativePrompt();
            case "seed" -> Long.toString(description.seed());
            case "cfg_scale" -> BigDecimal.valueOf(description.cfgScale()).stripTrailingZeros().toPlainString();
            case "width" -> Integer.toString(description.width());
            case "height" -> Integer.toString(description.height());
            case "steps" -> Integer.toString(description.steps());
            case "model" -> simplifyModel(description.model());
            case "user_name" -> user;
            case "number" -> NUMBER_MARK;
            default -> parameter(tag, description.parameters());
        };
    }

    private static String parameter(String tag, Map<String, Object> parameters) {
        String wanted = cleanTypeName(tag);
        for (Map.Entry<String, Object> parameter : parameters.entrySet()) {
            if (cleanTypeName(parameter.getKey()).equals(wanted)) {
                return text(parameter.getValue());
            }
        }
        return null;
    }

    private static String text(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().map(OutputPathFormat::text).collect(Collectors.joining(","));
        }
        if (value instanceof Double || value instanceof Float) {
            return BigDecimal.valueOf(((Number) value).doubleValue()).stripTrailingZeros().toPlainString();
        }
        return String.valueOf(value);
    }

    /** SwarmUI's parameter id form: lower case letters and digits only. */
    private static String cleanTypeName(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }

    private static String two(int value) {
        return String.format(Locale.ROOT, "%02d", value);
    }

    /**
     * A filled path: its folders and its file name without extension, which may hold the place of {@code [number]}.
     */
    record OutputPath(List<String> folders, String name) {

        /**
         * The file name of the {@code attempt}-th candidate (0 first): {@code [number]} becomes 1, 2, 3, ...; a
         * name without it gets nothing, then {@code -1}, {@code -2}, ... as in SwarmUI.
         */
        String candidate(int attempt) {
            if (name.contains(NUMBER_MARK)) {
                return name.replace(NUMBER_MARK, Integer.toString(attempt + 1));
            }
            return attempt == 0 ? name : name + "-" + attempt;
        }

        /** @return the folders joined with {@code /}, or "" */
        String folder() {
            return String.join("/", folders);
        }
    }
}
