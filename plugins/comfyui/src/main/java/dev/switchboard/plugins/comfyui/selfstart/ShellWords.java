package dev.switchboard.plugins.comfyui.selfstart;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits an argument string into words the way a POSIX shell would for plain words and quotes (no
 * expansion of variables, globs or commands), so arguments reach the process without ever passing through a
 * shell.
 */
final class ShellWords {

    private ShellWords() {
    }

    /**
     * Splits text into words: whitespace separates words; single quotes keep everything literally; double
     * quotes keep everything but let a backslash escape {@code "}, {@code \}, {@code $} and {@code `};
     * outside quotes a backslash makes the next character literal.
     *
     * @param text the argument string
     * @return the words, possibly empty
     * @throws IllegalArgumentException when a quote is not closed or the text ends with a lone backslash
     */
    static List<String> split(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                i++;
            } else if (c == '\'') {
                int end = text.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("a single quote (') is not closed.");
                }
                word.append(text, i + 1, end);
                inWord = true;
                i = end + 1;
            } else if (c == '"') {
                i = readDoubleQuoted(text, i + 1, word);
                inWord = true;
            } else if (c == '\\') {
                if (i + 1 >= text.length()) {
                    throw new IllegalArgumentException("the text ends with a lone backslash (\\).");
                }
                word.append(text.charAt(i + 1));
                inWord = true;
                i += 2;
            } else {
                word.append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return List.copyOf(words);
    }

    private static int readDoubleQuoted(String text, int start, StringBuilder word) {
        int i = start;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\' && i + 1 < text.length() && "\"\\$`".indexOf(text.charAt(i + 1)) >= 0) {
                word.append(text.charAt(i + 1));
                i += 2;
            } else {
                word.append(c);
                i++;
            }
        }
        throw new IllegalArgumentException("a double quote (\") is not closed.");
    }
}
