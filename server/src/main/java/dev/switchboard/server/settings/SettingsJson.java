package dev.switchboard.server.settings;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.switchboard.api.settings.SettingDefinition;
import dev.switchboard.api.settings.Settings;
import dev.switchboard.api.settings.SettingsSchema;
import dev.switchboard.server.secrets.SecretValues;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts settings between their JSON forms (requests, views, the backends file) and typed {@link Settings}.
 *
 * <p>Conversion follows SwarmUI's rules (numbers sent as strings are accepted, text fields take any scalar)
 * with Switchboard's decisions: every value is validated before anything changes, a value that does not fit
 * is an error naming the setting (never silently read as false or wrapped around), and unknown keys are ignored.
 */
public final class SettingsJson {
    /** What SwarmUI shows instead of a secret's value, and what clients send back to keep it. */
    public static final String SECRET_PLACEHOLDER = "\t<secret>";
    /** The most digits a JSON number sent for a text setting may have in its plain form. */
    static final int MAX_NUMBER_DIGITS = 100;

    private SettingsJson() {
    }

    /**
     * Applies a partial update: settings present in {@code update} (exact names) replace the current values,
     * the others keep theirs; a secret sent as {@link #SECRET_PLACEHOLDER} keeps its stored value.
     *
     * @throws InvalidSettingException for the first value that does not fit, in schema order
     */
    public static Settings merge(Settings current, JsonObject update) throws InvalidSettingException {
        return apply(current, update, true);
    }

    private static Settings apply(Settings current, JsonObject update, boolean keepPlaceholderSecrets)
            throws InvalidSettingException {
        SettingsSchema schema = current.schema();
        Map<String, Object> values = new LinkedHashMap<>(current.values());
        for (SettingDefinition definition : schema.definitions()) {
            if (!update.has(definition.name())) {
                continue;
            }
            JsonElement value = update.get(definition.name());
            if (keepPlaceholderSecrets && definition.isSecret() && value.isJsonPrimitive() && SECRET_PLACEHOLDER.equals(value.getAsString())) {
                continue;
            }
            if (keepPlaceholderSecrets && definition.isHeaderList() && value.isJsonPrimitive()
                    && value.getAsJsonPrimitive().isString()) {
                value = new JsonPrimitive(SecretValues.restoreHeaderValues(value.getAsString(),
                        (String) current.values().get(definition.name()), SECRET_PLACEHOLDER));
            }
            values.put(definition.name(), convert(definition, value));
        }
        return new Settings(schema, values);
    }

    /**
     * Reads settings as stored in the backends file: absent settings take their defaults.
     *
     * @throws InvalidSettingException when a stored value does not fit its setting
     */
    public static Settings fromStored(SettingsSchema schema, JsonObject stored) throws InvalidSettingException {
        // The file holds plain values: a stored placeholder is taken literally, never as "keep".
        return apply(schema.defaults(), stored, false);
    }

    /** Returns the stored form: every setting with its plain value (secrets included), in schema order. */
    public static JsonObject toStored(Settings settings) {
        JsonObject json = new JsonObject();
        for (SettingDefinition definition : settings.schema().definitions()) {
            json.add(definition.name(), toJson(settings.values().get(definition.name())));
        }
        return json;
    }

    /**
     * Returns the form shown to clients: like {@link #toStored} but non-empty secrets, and the values of header
     * lists, show as {@link #SECRET_PLACEHOLDER}.
     */
    public static JsonObject toView(Settings settings) {
        JsonObject json = new JsonObject();
        for (SettingDefinition definition : settings.schema().definitions()) {
            Object value = settings.values().get(definition.name());
            if (definition.isSecret() && !"".equals(value)) {
                json.addProperty(definition.name(), SECRET_PLACEHOLDER);
            } else if (definition.isHeaderList()) {
                json.addProperty(definition.name(), SecretValues.maskHeaderValues((String) value, SECRET_PLACEHOLDER));
            } else {
                json.add(definition.name(), toJson(value));
            }
        }
        return json;
    }

    private static JsonElement toJson(Object value) {
        if (value instanceof String text) {
            return new JsonPrimitive(text);
        }
        if (value instanceof Boolean bool) {
            return new JsonPrimitive(bool);
        }
        if (value instanceof Number number) {
            return new JsonPrimitive(number);
        }
        if (value instanceof List<?> list) {
            JsonArray array = new JsonArray();
            list.forEach(item -> array.add(String.valueOf(item)));
            return array;
        }
        return JsonNull.INSTANCE;
    }

    static Object convert(SettingDefinition definition, JsonElement value) throws InvalidSettingException {
        String name = definition.name();
        if (value == null || value.isJsonNull()) {
            throw new InvalidSettingException("Setting '" + name + "' cannot be null; send a " + expected(definition) + ".");
        }
        switch (definition.type()) {
            case TEXT:
                return checkLength(definition, value, scalarText(definition, value));
            case DROPDOWN: {
                String text = scalarText(definition, value);
                if (!definition.values().contains(text)) {
                    throw new InvalidSettingException("Invalid value '" + shorten(text) + "' for setting '" + name
                            + "': must be one of " + String.join(", ", definition.values()) + ".");
                }
                return text;
            }
            case BOOLEAN: {
                if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isBoolean()) {
                    return value.getAsBoolean();
                }
                if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isString()) {
                    String text = value.getAsString().trim();
                    if (text.equalsIgnoreCase("true")) {
                        return Boolean.TRUE;
                    }
                    if (text.equalsIgnoreCase("false")) {
                        return Boolean.FALSE;
                    }
                }
                throw invalid(definition, value);
            }
            case INTEGER: {
                long number = parseInteger(definition, value);
                checkRange(definition, number, value);
                return number;
            }
            case DECIMAL: {
                double number = parseDecimal(definition, value);
                checkRange(definition, number, value);
                return number;
            }
            case LIST:
                return checkLength(definition, value, parseList(definition, value));
            default:
                throw new IllegalStateException("unknown setting type " + definition.type());
        }
    }

    private static String scalarText(SettingDefinition definition, JsonElement value) throws InvalidSettingException {
        if (!value.isJsonPrimitive()) {
            throw invalid(definition, value);
        }
        JsonPrimitive primitive = value.getAsJsonPrimitive();
        if (primitive.isBoolean()) {
            return primitive.getAsBoolean() ? "true" : "false";
        }
        if (primitive.isNumber()) {
            return canonicalNumber(definition, primitive);
        }
        return primitive.getAsString();
    }

    private static long parseInteger(SettingDefinition definition, JsonElement value) throws InvalidSettingException {
        if (value.isJsonPrimitive()) {
            JsonPrimitive primitive = value.getAsJsonPrimitive();
            try {
                if (primitive.isNumber()) {
                    return new BigDecimal(primitive.getAsString()).longValueExact();
                }
                if (primitive.isString()) {
                    String text = primitive.getAsString().trim();
                    if (text.startsWith("+")) {
                        text = text.substring(1);
                    }
                    return Long.parseLong(text);
                }
            } catch (NumberFormatException | ArithmeticException e) {
                throw invalid(definition, value);
            }
        }
        throw invalid(definition, value);
    }

    private static double parseDecimal(SettingDefinition definition, JsonElement value) throws InvalidSettingException {
        if (value.isJsonPrimitive()) {
            JsonPrimitive primitive = value.getAsJsonPrimitive();
            try {
                double number;
                if (primitive.isNumber()) {
                    number = primitive.getAsDouble();
                } else if (primitive.isString()) {
                    number = new BigDecimal(primitive.getAsString().trim()).doubleValue();
                } else {
                    throw invalid(definition, value);
                }
                if (Double.isFinite(number)) {
                    return number;
                }
            } catch (NumberFormatException e) {
                throw invalid(definition, value);
            }
        }
        throw invalid(definition, value);
    }

    private static List<String> parseList(SettingDefinition definition, JsonElement value) throws InvalidSettingException {
        List<String> items = new ArrayList<>();
        if (value.isJsonArray()) {
            for (JsonElement item : value.getAsJsonArray()) {
                if (item.isJsonNull()) {
                    throw invalid(definition, value);
                }
                items.add(scalarText(definition, item));
            }
            return List.copyOf(items);
        }
        if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isString()) {
            for (String part : value.getAsString().split("[,\n]")) {
                if (!part.isBlank()) {
                    items.add(part.trim());
                }
            }
            return List.copyOf(items);
        }
        throw invalid(definition, value);
    }

    private static void checkRange(SettingDefinition definition, double number, JsonElement value) throws InvalidSettingException {
        Double min = definition.min();
        Double max = definition.max();
        if ((min != null && number < min) || (max != null && number > max)) {
            throw new InvalidSettingException("Invalid value " + describe(value) + " for setting '" + definition.name()
                    + "': must be between " + plain(min) + " and " + plain(max) + ".");
        }
    }

    private static InvalidSettingException invalid(SettingDefinition definition, JsonElement value) {
        return new InvalidSettingException("Invalid value " + describe(value) + " for setting '" + definition.name()
                + "': expected " + expected(definition) + ".");
    }

    private static String expected(SettingDefinition definition) {
        return switch (definition.type()) {
            case TEXT -> "text";
            case INTEGER -> "a whole number";
            case DECIMAL -> "a number";
            case BOOLEAN -> "true or false";
            case DROPDOWN -> "one of " + String.join(", ", definition.values());
            case LIST -> "a list of text values";
        };
    }

    private static String describe(JsonElement value) {
        return shorten(value.toString());
    }

    /** Keeps a value quoted in an error message short, whatever was sent. */
    private static String shorten(String text) {
        return text.length() > 60 ? text.substring(0, 57) + "..." : text;
    }

    private static String plain(Double number) {
        if (number == null) {
            return "unbounded";
        }
        return number == Math.rint(number) ? Long.toString(number.longValue()) : number.toString();
    }

    /**
     * Text of a JSON number as SwarmUI writes it into a text field: {@code 5.0} becomes {@code "5"}. A number
     * whose plain digits would run past {@link #MAX_NUMBER_DIGITS} (a short {@code 1e100000000} is a hundred
     * million of them) is refused rather than written out.
     */
    private static String canonicalNumber(SettingDefinition definition, JsonPrimitive number)
            throws InvalidSettingException {
        BigDecimal decimal = new BigDecimal(number.getAsString()).stripTrailingZeros();
        long integerDigits = (long) decimal.precision() - decimal.scale();
        if (integerDigits > MAX_NUMBER_DIGITS || decimal.scale() > MAX_NUMBER_DIGITS) {
            throw new InvalidSettingException("Invalid value " + describe(number) + " for setting '"
                    + definition.name() + "': a number with more than " + MAX_NUMBER_DIGITS
                    + " digits cannot be written as text; send the text as a JSON string.");
        }
        if (decimal.scale() <= 0 && integerDigits <= 19) {
            return decimal.toBigInteger().toString();
        }
        return decimal.toPlainString();
    }

    private static <T> T checkLength(SettingDefinition definition, JsonElement value, T converted)
            throws InvalidSettingException {
        long length = SettingDefinition.lengthOf(converted);
        if (length > definition.maxLength()) {
            throw new InvalidSettingException("Invalid value " + describe(value) + " for setting '" + definition.name()
                    + "': it is " + length + " characters long, at most " + definition.maxLength() + " are allowed.");
        }
        return converted;
    }
}
