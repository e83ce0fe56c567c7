package dev.switchboard.server.http;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes JSON the way Newtonsoft.Json's indented formatting does, which is how SwarmUI quotes an object or
 * array in a parameter error: two spaces per level, {@code "key": value}, every element on its own line,
 * {@code {}} and {@code []} when empty, {@code \n} line breaks.
 */
final class IndentedJsonText {

    private static final String INDENT = "  ";

    private IndentedJsonText() {
    }

    static String of(JsonElement element) {
        StringBuilder text = new StringBuilder();
        write(text, element, 0);
        return text.toString();
    }

    private static void write(StringBuilder text, JsonElement element, int depth) {
        if (element == null || element.isJsonNull()) {
            text.append("null");
        } else if (element.isJsonObject()) {
            writeObject(text, element.getAsJsonObject(), depth);
        } else if (element.isJsonArray()) {
            writeArray(text, element.getAsJsonArray(), depth);
        } else {
            writePrimitive(text, element.getAsJsonPrimitive());
        }
    }

    private static void writeObject(StringBuilder text, JsonObject object, int depth) {
        if (object.isEmpty()) {
            text.append("{}");
            return;
        }
        text.append('{');
        Iterator<Map.Entry<String, JsonElement>> members = object.entrySet().iterator();
        while (members.hasNext()) {
            Map.Entry<String, JsonElement> member = members.next();
            newLine(text, depth + 1);
            writeString(text, member.getKey());
            text.append(": ");
            write(text, member.getValue(), depth + 1);
            if (members.hasNext()) {
                text.append(',');
            }
        }
        newLine(text, depth);
        text.append('}');
    }

    private static void writeArray(StringBuilder text, JsonArray array, int depth) {
        if (array.isEmpty()) {
            text.append("[]");
            return;
        }
        text.append('[');
        for (int i = 0; i < array.size(); i++) {
            newLine(text, depth + 1);
            write(text, array.get(i), depth + 1);
            if (i + 1 < array.size()) {
                text.append(',');
            }
        }
        newLine(text, depth);
        text.append(']');
    }

    private static void writePrimitive(StringBuilder text, JsonPrimitive primitive) {
        if (primitive.isBoolean()) {
            text.append(primitive.getAsBoolean());
        } else if (primitive.isNumber()) {
            text.append(JsonNumberText.json(primitive.getAsNumber()));
        } else {
            writeString(text, primitive.getAsString());
        }
    }

    private static void newLine(StringBuilder text, int depth) {
        text.append('\n').append(INDENT.repeat(depth));
    }

    /** Quotes a string with Newtonsoft's default escaping (control characters and a few line separators). */
    private static void writeString(StringBuilder text, String value) {
        text.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> text.append("\\\"");
                case '\\' -> text.append("\\\\");
                case '\b' -> text.append("\\b");
                case '\t' -> text.append("\\t");
                case '\n' -> text.append("\\n");
                case '\f' -> text.append("\\f");
                case '\r' -> text.append("\\r");
                default -> {
                    if (c < 0x20 || c == '\u0085' || c == '\u2028' || c == '\u2029') {
                        text.append(String.format("\\u%04x", (int) c));
                    } else {
                        text.append(c);
                    }
                }
            }
        }
        text.append('"');
    }
}
