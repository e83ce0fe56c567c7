package dev.switchboard.plugins.comfyui.generation;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prompt text as ComfyUI reads it: SwarmUI's {@code <embedding:NAME>} becomes ComfyUI's {@code embedding:NAME} (with
 * the server's folder separator), and any other literal {@code embedding:} is broken with a space, so that only the
 * embeddings a request names explicitly load.
 */
final class PromptText {
    private static final Pattern TAG = Pattern.compile("<embedding:([^>]+)>", Pattern.CASE_INSENSITIVE);
    private static final Pattern LITERAL = Pattern.compile("(?i)embedding:");

    private PromptText() {
    }

    /**
     * @param prompt the prompt as the request gave it
     * @param backslash whether the server separates folders with {@code \}
     * @return the text for {@code CLIPTextEncode}
     */
    static String forComfyUi(String prompt, boolean backslash) {
        StringBuilder result = new StringBuilder();
        Matcher tags = TAG.matcher(prompt);
        int from = 0;
        while (tags.find()) {
            result.append(breakLiterals(prompt.substring(from, tags.start())));
            String name = tags.group(1).trim();
            result.append("embedding:").append(backslash ? name.replace('/', '\\') : name);
            from = tags.end();
        }
        result.append(breakLiterals(prompt.substring(from)));
        return result.toString();
    }

    private static String breakLiterals(String text) {
        return LITERAL.matcher(text).replaceAll(match -> Matcher.quoteReplacement(
                match.group().substring(0, match.group().length() - 1) + " :"));
    }
}
