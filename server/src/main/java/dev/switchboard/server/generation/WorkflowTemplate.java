package dev.switchboard.server.generation;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A raw ComfyUI workflow with SwarmUI's tags in it (generation.md 3.4): {@code ${name}}, {@code ${name:default}}
 * and {@code ${name+N:default}}, filled per job with the request's values. Numeric tags saved as quoted
 * placeholders ({@code "%%_COMFYFIXME_${steps:20}_ENDFIXME_%%"}) lose their quotes first, so the value lands as a
 * raw JSON number.
 */
public final class WorkflowTemplate {
    private static final Pattern TAG = Pattern.compile("\\$\\{([^}:+]+)(?:\\+(-?\\d+))?(?::([^}]*))?}");

    private final String text;

    private WorkflowTemplate(String text) {
        this.text = text;
    }

    /**
     * Reads a workflow a client sent: a JSON object (the API format, or its text), with SwarmUI's quoted numeric
     * placeholders unwrapped.
     *
     * @throws InvalidRequestException when it is not a JSON object once its tags are blanked
     */
    public static WorkflowTemplate parse(String workflow) throws InvalidRequestException {
        String unwrapped = workflow.replace("\"%%_COMFYFIXME_${", "${").replace("}_ENDFIXME_%%\"", "}");
        WorkflowTemplate template = new WorkflowTemplate(unwrapped);
        template.graph();
        return template;
    }

    /** The node types the workflow uses (its nodes' {@code class_type}). */
    public Set<String> nodeTypes() throws InvalidRequestException {
        Set<String> types = new TreeSet<>();
        for (Map.Entry<String, JsonElement> node : graph().entrySet()) {
            if (node.getValue().isJsonObject() && node.getValue().getAsJsonObject().has("class_type")) {
                types.add(node.getValue().getAsJsonObject().get("class_type").getAsString());
            }
        }
        return types;
    }

    /** The workflow with every tag replaced by {@code null}, as a JSON object. */
    private JsonObject graph() throws InvalidRequestException {
        String blanked = TAG.matcher(text).replaceAll("null");
        try {
            JsonElement parsed = JsonParser.parseString(blanked);
            if (!parsed.isJsonObject()) {
                throw new InvalidRequestException("The ComfyUI workflow must be a JSON object of nodes.");
            }
            return parsed.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new InvalidRequestException("The ComfyUI workflow is not valid JSON: " + e.getMessage());
        }
    }

    /**
     * Fills every tag: a built-in name or a request key (compared after SwarmUI's cleaning: lower-case letters
     * only) gives the value, JSON-string escaped; {@code +N} adds to a number; absent values take the default.
     *
     * @param values the value of each name, by cleaned name; null when the name has none
     * @throws InvalidRequestException for a tag with no value and no default (SwarmUI's exact text)
     */
    public String fill(Function<String, String> values) throws InvalidRequestException {
        Matcher matcher = TAG.matcher(text);
        StringBuilder filled = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            String value = values.apply(clean(name));
            if (value == null) {
                value = matcher.group(3);
            }
            if (value == null) {
                throw new InvalidRequestException("Unknown param type request '" + name + "' from '"
                        + matcher.group() + "'");
            }
            if (matcher.group(2) != null) {
                value = addTo(value, Long.parseLong(matcher.group(2)));
            }
            matcher.appendReplacement(filled, Matcher.quoteReplacement(escape(value)));
        }
        matcher.appendTail(filled);
        return filled.toString();
    }

    /** SwarmUI's parameter id cleaning: lower case, letters only ({@code CFG Scale} becomes {@code cfgscale}). */
    public static String clean(String name) {
        StringBuilder cleaned = new StringBuilder();
        for (char c : name.toLowerCase(Locale.ROOT).toCharArray()) {
            if (c >= 'a' && c <= 'z') {
                cleaned.append(c);
            }
        }
        return cleaned.toString();
    }

    private static String addTo(String value, long delta) {
        try {
            return Long.toString(Long.parseLong(value.trim()) + delta);
        } catch (NumberFormatException e) {
            return value;
        }
    }

    private static String escape(String value) {
        String quoted = new JsonPrimitive(value).toString();
        return quoted.substring(1, quoted.length() - 1);
    }
}
