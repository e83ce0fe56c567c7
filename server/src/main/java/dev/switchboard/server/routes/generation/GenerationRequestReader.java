package dev.switchboard.server.routes.generation;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.switchboard.api.generation.GenerationParameters;
import dev.switchboard.api.generation.LoraWeight;
import dev.switchboard.api.generation.ModelType;
import dev.switchboard.server.dispatch.ModelNames;
import dev.switchboard.server.generation.GenerationRequest;
import dev.switchboard.server.generation.InvalidRequestException;
import dev.switchboard.server.generation.ModelCatalog;
import dev.switchboard.server.generation.WorkflowTemplate;
import dev.switchboard.server.http.DotNetDoubleText;
import dev.switchboard.server.http.TokenText;
import dev.switchboard.server.sessions.Permission;
import dev.switchboard.server.sessions.Session;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a generation request's body the way SwarmUI does (generation.md 2.1): every key cleaned to lower-case
 * letters and taken as a parameter, values in their text form, each validated with SwarmUI's messages; unknown
 * keys skipped; parameters that would change the image but that Switchboard cannot honour refused by name.
 */
final class GenerationRequestReader {
    private static final Logger LOG = LoggerFactory.getLogger(GenerationRequestReader.class);
    private static final Pattern LORA_TAG = Pattern.compile("<lora:([^:>]+)(?::([^>]*))?>", Pattern.CASE_INSENSITIVE);
    private static final Pattern ANY_TAG = Pattern.compile("<([a-z_]+)[:>]", Pattern.CASE_INSENSITIVE);
    /** Prompt tags backends understand (embeddings become ComfyUI's syntax; a break is kept as text). */
    private static final Set<String> KEPT_TAGS = Set.of("embedding", "embed", "break");
    private static final long RANDOM_SEED_BOUND = (1L << 31) - 1;

    private final ModelCatalog models;

    GenerationRequestReader(ModelCatalog models) {
        this.models = models;
    }

    /**
     * @param body the request body without {@code session_id}
     * @param images the route's {@code images} input, already bound
     * @throws InvalidRequestException with SwarmUI's text for the first problem
     */
    GenerationRequest read(JsonObject body, int images, Session session) throws InvalidRequestException {
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> entry : body.entrySet()) {
            String id = WorkflowTemplate.clean(entry.getKey());
            if (id.isEmpty() || id.equals("images") || T2IParams.IGNORED.contains(id)) {
                continue;
            }
            String text = textOf(entry.getValue());
            if (T2IParams.refused(id)) {
                if (!text.isEmpty()) {
                    throw new InvalidRequestException("Switchboard cannot use the parameter '" + entry.getKey()
                            + "' yet: it would change the image and no backend here can honour it. Remove it to"
                            + " generate without it.");
                }
                continue;
            }
            if (T2IParams.find(id).isEmpty()) {
                LOG.debug("Skipped the unknown generation parameter '{}'", entry.getKey());
                continue;
            }
            values.put(id, text);
        }
        checkRange(T2IParams.USED.get("images"), images);
        return build(values, images, session);
    }

    private GenerationRequest build(Map<String, String> values, int images, Session session)
            throws InvalidRequestException {
        Set<String> features = new LinkedHashSet<>();
        GenerationParameters.Builder builder = GenerationParameters.builder();
        List<LoraWeight> loras = new ArrayList<>();
        String prompt = extractLoras(values.getOrDefault("prompt", ""), loras);
        checkPromptTags(prompt);
        builder.prompt(prompt).negativePrompt(values.getOrDefault("negativeprompt", ""));
        long seed = longValue(values, "seed");
        builder.seed(seed == -1 ? ThreadLocalRandom.current().nextLong(RANDOM_SEED_BOUND) : seed);
        builder.steps((int) longValue(values, "steps"));
        builder.cfgScale(decimalValue(values, "cfgscale"));
        int[] size = resolution(values);
        builder.size(size[0], size[1]);
        builder.batchSize((int) longValue(values, "batchsize"));
        for (String id : List.of("sampler", "scheduler")) {
            if (values.containsKey(id)) {
                String choice = dropdownValue(values, id);
                features.add("comfyui");
                if (id.equals("sampler")) {
                    builder.sampler(choice);
                } else {
                    builder.scheduler(choice);
                }
            }
        }
        if (values.containsKey("imageformat")) {
            dropdownValue(values, "imageformat");
        }
        if (values.containsKey("clipstopatlayer")) {
            builder.clipStopAtLayer((int) longValue(values, "clipstopatlayer"));
        }
        String vae = values.getOrDefault("vae", "");
        if (!vae.isEmpty() && !vae.equalsIgnoreCase("None") && !vae.equalsIgnoreCase("Automatic")) {
            builder.vae(checkModel(ModelType.VAE, "VAE", vae));
        }
        loras.addAll(listedLoras(values));
        for (LoraWeight lora : loras) {
            checkModel(ModelType.LORA, "LoRAs", lora.name());
        }
        builder.loras(loras);
        String workflow = workflow(values, features, session);
        String model = values.getOrDefault("model", "");
        if (model.isEmpty() || model.equalsIgnoreCase("None")) {
            if (workflow == null) {
                throw new InvalidRequestException("No model input given. Did your UI load properly?");
            }
        } else {
            builder.model(checkModel(ModelType.STABLE_DIFFUSION, "Model", model));
        }
        builder.raw(values);
        Integer exactBackend = exactBackendId(values, session);
        String type = values.getOrDefault("internalbackendtype", "Any");
        return new GenerationRequest(images, builder.build(), !bool(values, "noseedincrement"), workflow, features,
                exactBackend, type.isEmpty() || type.equalsIgnoreCase("Any") ? null : type,
                bool(values, "donotsave"), bool(values, "forwardswarmdata"), bool(values, "continueaftererrors"),
                List.copyOf(values.keySet()));
    }

    private String workflow(Map<String, String> values, Set<String> features, Session session)
            throws InvalidRequestException {
        String raw = values.getOrDefault("comfyworkflowraw", "");
        String custom = values.getOrDefault("comfyuicustomworkflow", "");
        String text = raw;
        if (text.isEmpty() && !custom.isEmpty()) {
            if (!custom.startsWith("PARSED%") || custom.indexOf('%', "PARSED%".length()) < 0) {
                throw new InvalidRequestException("Unrecognized ComfyUI Custom Workflow name.");
            }
            text = custom.substring(custom.indexOf('%', "PARSED%".length()) + 1);
        }
        if (text.isEmpty()) {
            return null;
        }
        if (session != null && !session.hasPermission(Permission.COMFY_DIRECT_CALLS)) {
            throw new InvalidRequestException("You do not have permission to use parameter Comfy Workflow Raw.");
        }
        features.add("comfyui");
        WorkflowTemplate.parse(text);
        return text;
    }

    private static Integer exactBackendId(Map<String, String> values, Session session) throws InvalidRequestException {
        String text = values.getOrDefault("exactbackendid", "").trim();
        if (text.isEmpty()) {
            return null;
        }
        if (session != null && !session.hasPermission(Permission.PARAM_BACKEND_ID)) {
            throw new InvalidRequestException("You do not have permission to use parameter Exact Backend ID.");
        }
        try {
            return Integer.parseInt(text.startsWith("+") ? text.substring(1) : text);
        } catch (NumberFormatException e) {
            throw invalid("Exact Backend ID", "Invalid integer value for param Exact Backend ID - '" + text
                    + "' - must be a valid integer (eg '0', '3', '-5', etc)");
        }
    }

    /** SwarmUI's resolution rule (generation.md 2.7): raw resolution, else side length and ratio, else width and height. */
    private static int[] resolution(Map<String, String> values) throws InvalidRequestException {
        String raw = values.getOrDefault("rawresolution", "");
        int width;
        int height;
        if (!raw.isEmpty()) {
            Matcher wxh = Pattern.compile("\\s*(\\d{1,5})\\s*[xX]\\s*(\\d{1,5})\\s*").matcher(raw);
            if (!wxh.matches()) {
                throw invalid("Raw Resolution", "Invalid value for param Raw Resolution - '" + raw
                        + "' - must be WIDTHxHEIGHT, like 1024x1024");
            }
            width = Integer.parseInt(wxh.group(1));
            height = Integer.parseInt(wxh.group(2));
        } else {
            int[] reference = T2IParams.ASPECT_RATIOS.get(values.getOrDefault("aspectratio", "1:1"));
            if (values.containsKey("sidelength") && reference != null) {
                long side = longValue(values, "sidelength");
                width = (int) (Math.round(reference[0] * side / 512.0 / 16) * 16);
                height = (int) (Math.round(reference[1] * side / 512.0 / 16) * 16);
            } else {
                width = (int) longValue(values, "width");
                height = (int) longValue(values, "height");
            }
        }
        if (values.containsKey("altresolutionheightmultiplier")) {
            height = (int) Math.round(width * decimalValue(values, "altresolutionheightmultiplier"));
        }
        checkRange(T2IParams.USED.get("width"), width);
        checkRange(T2IParams.USED.get("height"), height);
        return new int[] {width, height};
    }

    private String checkModel(ModelType type, String name, String requested) throws InvalidRequestException {
        if (!models.tracked(type)) {
            return requested;
        }
        List<String> names = models.list(type).stream().map(ModelCatalog.Entry::name).toList();
        if (ModelNames.resolve(requested, names).isEmpty()) {
            throw invalid(name, "Invalid model value for param " + name + " - '" + requested
                    + "' - are you sure that model name is correct?");
        }
        return requested;
    }

    /** Takes {@code <lora:name:weight>} tags out of the prompt into LoRAs, as SwarmUI's prompt handling does. */
    private static String extractLoras(String prompt, List<LoraWeight> loras) throws InvalidRequestException {
        Matcher matcher = LORA_TAG.matcher(prompt);
        StringBuilder rest = new StringBuilder();
        while (matcher.find()) {
            double weight = 1;
            if (matcher.group(2) != null && !matcher.group(2).isBlank()) {
                try {
                    weight = Double.parseDouble(matcher.group(2).trim());
                } catch (NumberFormatException e) {
                    throw new InvalidRequestException("Invalid LoRA weight in '" + matcher.group() + "'.");
                }
            }
            loras.add(new LoraWeight(matcher.group(1).trim(), weight, weight));
            matcher.appendReplacement(rest, "");
        }
        matcher.appendTail(rest);
        return rest.toString().trim();
    }

    private static void checkPromptTags(String prompt) throws InvalidRequestException {
        Matcher tag = ANY_TAG.matcher(prompt);
        while (tag.find()) {
            String name = tag.group(1).toLowerCase(Locale.ROOT);
            if (!KEPT_TAGS.contains(name)) {
                throw new InvalidRequestException("Switchboard cannot use the prompt tag '<" + tag.group(1)
                        + ":...>' yet: resolve it in the client, or remove it.");
            }
        }
    }

    private static List<LoraWeight> listedLoras(Map<String, String> values) throws InvalidRequestException {
        List<String> names = split(values.getOrDefault("loras", ""));
        List<String> weights = split(values.getOrDefault("loraweights", ""));
        List<String> encoderWeights = split(values.getOrDefault("loratencweights", ""));
        List<LoraWeight> loras = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            double weight = i < weights.size() ? number("LoRA Weights", weights.get(i)) : 1;
            double encoder = i < encoderWeights.size() ? number("LoRA Text Encoder Weights", encoderWeights.get(i))
                    : weight;
            loras.add(new LoraWeight(names.get(i), weight, encoder));
        }
        return loras;
    }

    private static List<String> split(String list) {
        List<String> items = new ArrayList<>();
        for (String item : list.split("\\n\\|\\|\\|\\n|,")) {
            if (!item.isBlank()) {
                items.add(item.trim());
            }
        }
        return items;
    }

    private static double number(String name, String text) throws InvalidRequestException {
        try {
            double value = Double.parseDouble(text);
            if (value < -10 || value > 10) {
                throw invalid(name, "Invalid decimal value for param " + name + " - '" + text
                        + "' - must be between -10 and 10");
            }
            return value;
        } catch (NumberFormatException e) {
            throw invalid(name, "Invalid decimal value for param " + name + " - '" + text
                    + "' - must be a valid decimal (eg '0.0', '3.5', '-5.2', etc)");
        }
    }

    private static long longValue(Map<String, String> values, String id) throws InvalidRequestException {
        T2IParam param = T2IParams.USED.get(id);
        String text = values.getOrDefault(id, param.defaultValue()).trim();
        long value;
        try {
            value = Long.parseLong(text.startsWith("+") ? text.substring(1) : text);
        } catch (NumberFormatException e) {
            throw invalid(param.name(), "Invalid integer value for param " + param.name() + " - '" + text
                    + "' - must be a valid integer (eg '0', '3', '-5', etc)");
        }
        checkRange(param, value);
        return value;
    }

    private static double decimalValue(Map<String, String> values, String id) throws InvalidRequestException {
        T2IParam param = T2IParams.USED.get(id);
        String text = values.getOrDefault(id, param.defaultValue()).trim();
        double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            value = Double.NaN;
        }
        if (!Double.isFinite(value)) {
            throw invalid(param.name(), "Invalid decimal value for param " + param.name() + " - '" + text
                    + "' - must be a valid decimal (eg '0.0', '3.5', '-5.2', etc)");
        }
        checkRange(param, value);
        return value;
    }

    private static String dropdownValue(Map<String, String> values, String id) throws InvalidRequestException {
        T2IParam param = T2IParams.USED.get(id);
        String text = values.get(id);
        // SwarmUI's best match: ignoring case, spaces and brackets, an exact value, else the shortest containing it.
        String wanted = comparable(text);
        String best = null;
        for (String option : param.values()) {
            String candidate = comparable(option);
            if (candidate.equals(wanted)) {
                return option;
            }
            if (!wanted.isEmpty() && candidate.contains(wanted) && (best == null || option.length() < best.length())) {
                best = option;
            }
        }
        if (best != null) {
            return best;
        }
        throw invalid(param.name(), "Invalid value for param " + param.name() + " - '" + text
                + "' - must be one of: `" + String.join("`, `", param.values()) + "`");
    }

    private static String comparable(String text) {
        return text.toLowerCase(Locale.ROOT).replaceAll("[\\s()\\[\\]]", "");
    }

    private static boolean bool(Map<String, String> values, String id) throws InvalidRequestException {
        String text = values.getOrDefault(id, "false").trim();
        if (text.equalsIgnoreCase("true")) {
            return true;
        }
        if (text.equalsIgnoreCase("false") || text.isEmpty()) {
            return false;
        }
        String name = T2IParams.USED.get(id).name();
        throw invalid(name, "Invalid boolean value for param " + name + " - '" + text + "' - must be exactly 'true'"
                + " or 'false'");
    }

    private static void checkRange(T2IParam param, double value) throws InvalidRequestException {
        if ((param.min() != null && value < param.min()) || (param.max() != null && value > param.max())) {
            String kind = param.type().equals("decimal") ? "decimal" : "integer";
            throw invalid(param.name(), "Invalid " + kind + " value for param " + param.name() + " - '"
                    + DotNetDoubleText.general(value) + "' - must be between " + DotNetDoubleText.general(param.min())
                    + " and " + DotNetDoubleText.general(param.max()));
        }
    }

    private static InvalidRequestException invalid(String name, String message) {
        return new InvalidRequestException("Invalid value for parameter " + name + ": " + message);
    }

    /** SwarmUI's text form: arrays joined with its list separator, everything else as the envelope takes it. */
    private static String textOf(JsonElement value) {
        if (value != null && value.isJsonArray()) {
            List<String> items = new ArrayList<>();
            value.getAsJsonArray().forEach(item -> items.add(TokenText.of(item)));
            return String.join("\n|||\n", items);
        }
        return TokenText.of(value);
    }
}
