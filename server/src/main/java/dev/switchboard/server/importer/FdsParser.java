package dev.switchboard.server.importer;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads FDS ("Frenetic Data Syntax"), the text format of SwarmUI's {@code Backends.fds}, as SwarmUI's own reader
 * does: UTF-8; line ends {@code \r\n}, {@code \n} or a lone {@code \r}; every tab counts as four spaces; lines of
 * only spaces and lines starting with {@code #} are skipped wherever they are; {@code key: value} for a scalar and
 * {@code key:} followed by deeper-indented lines for a section; {@code - item} lines at the key's own indentation
 * for a list. Values are unescaped like SwarmUI unescapes them ({@code \t}, {@code \n}, {@code \r}, then {@code \x}
 * (nothing: the empty string, or a protected edge space), then {@code \s} (a backslash)), keys additionally
 * {@code \d} (.), {@code \c} (:) and {@code \e} (=).
 *
 * <p>Stricter than SwarmUI where SwarmUI would silently keep the later of two equal keys: a repeated key is an
 * error. Binary values ({@code key= base64}) and complex lists ({@code >}) never occur in a backends file and are
 * refused. Every error names its line; none quotes the line, which may hold a secret.
 */
final class FdsParser {
    private static final int TAB_WIDTH = 4;

    private final String[] lines;
    /** The index of the next line to read. */
    private int next;

    private FdsParser(String[] lines) {
        this.lines = lines;
    }

    /** Parses a whole document; the root section has line 0. */
    static FdsNode.Section parse(byte[] utf8) throws FdsParseException {
        String text = decode(utf8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        // A file with Windows line ends loses every \r; otherwise a lone \r (old Mac) ends a line.
        text = text.contains("\r\n") ? text.replace("\r", "") : text.replace('\r', '\n');
        text = text.replace("\t", " ".repeat(TAB_WIDTH));
        FdsParser parser = new FdsParser(text.split("\n", -1));
        // Every line has 0 spaces or more, so the root section reads to the end of the file.
        return parser.section(0, 0);
    }

    /** Reads the keys at exactly {@code spacing} spaces until a line indented less, or the end. */
    private FdsNode.Section section(int spacing, int line) throws FdsParseException {
        Map<String, FdsNode> entries = new LinkedHashMap<>();
        Map<String, Integer> keyLines = new HashMap<>();
        while (skipToContent()) {
            String full = lines[next];
            int spaces = indentation(full);
            if (spaces < spacing) {
                break;
            }
            int lineNumber = next + 1;
            if (spaces > spacing) {
                throw new FdsParseException(lineNumber, "indented by " + spaces + " spaces where " + spacing
                        + " were expected: a 'key:' line before it may be missing, or tabs and spaces are mixed");
            }
            String content = trimSpaces(full);
            char first = content.charAt(0);
            if (first == '-' || first == '>' || first == '=') {
                throw new FdsParseException(lineNumber, "a list item where a 'key: value' line was expected");
            }
            int separator = separatorIndex(content);
            if (separator < 0) {
                throw new FdsParseException(lineNumber, "not a 'key: value' line (no ':' in it)");
            }
            if (content.charAt(separator) == '=') {
                throw new FdsParseException(lineNumber, "a binary value ('key= ...'), which a backends file never holds");
            }
            if (separator == 0) {
                throw new FdsParseException(lineNumber, "the key before ':' is empty");
            }
            String key = unescapeKey(content.substring(0, separator));
            Integer earlier = keyLines.putIfAbsent(key, lineNumber);
            if (earlier != null) {
                throw new FdsParseException(lineNumber, "the key '" + key + "' appears a second time in the same"
                        + " section (first on line " + earlier + ")");
            }
            next++;
            FdsNode value = separator == content.length() - 1
                    ? child(spacing, lineNumber)
                    : new FdsNode.Scalar(unescape(stripLeadingSpaces(content.substring(separator + 1))), lineNumber);
            entries.put(key, value);
        }
        return new FdsNode.Section(entries, line);
    }

    /** What follows {@code key:} with nothing after it: a deeper section, a list, or an empty section. */
    private FdsNode child(int spacing, int line) throws FdsParseException {
        if (!skipToContent()) {
            return new FdsNode.Section(Map.of(), line);
        }
        String full = lines[next];
        int spaces = indentation(full);
        if (spaces > spacing) {
            return section(spaces, line);
        }
        if (spaces == spacing && trimSpaces(full).charAt(0) == '-') {
            return list(spacing, line);
        }
        if (spaces == spacing && (trimSpaces(full).charAt(0) == '>' || trimSpaces(full).charAt(0) == '=')) {
            throw new FdsParseException(next + 1, "a complex or binary list, which a backends file never holds");
        }
        return new FdsNode.Section(Map.of(), line);
    }

    private FdsNode.ListNode list(int spacing, int line) throws FdsParseException {
        List<FdsNode.Scalar> items = new ArrayList<>();
        while (skipToContent()) {
            String full = lines[next];
            int spaces = indentation(full);
            String content = trimSpaces(full);
            if (spaces < spacing || (spaces == spacing && content.charAt(0) != '-')) {
                break;
            }
            if (spaces > spacing) {
                throw new FdsParseException(next + 1, "indented by " + spaces + " spaces inside a list whose items"
                        + " have " + spacing);
            }
            items.add(new FdsNode.Scalar(unescape(stripLeadingSpaces(content.substring(1))), next + 1));
            next++;
        }
        return new FdsNode.ListNode(items, line);
    }

    /** Moves past blank and comment lines; returns whether a line with content remains. */
    private boolean skipToContent() {
        while (next < lines.length) {
            String content = trimSpaces(lines[next]);
            if (!content.isEmpty() && content.charAt(0) != '#') {
                return true;
            }
            next++;
        }
        return false;
    }

    /** Without the spaces at both ends (only spaces: other white space is content, as for SwarmUI). */
    private static String trimSpaces(String line) {
        int end = line.length();
        while (end > 0 && line.charAt(end - 1) == ' ') {
            end--;
        }
        return line.substring(indentation(line.substring(0, end)), end);
    }

    private static String stripLeadingSpaces(String text) {
        return text.substring(indentation(text));
    }

    private static int indentation(String line) {
        int spaces = 0;
        while (spaces < line.length() && line.charAt(spaces) == ' ') {
            spaces++;
        }
        return spaces;
    }

    /** The first ':' or '=' (FDS's two key separators). */
    private static int separatorIndex(String content) {
        for (int i = 0; i < content.length(); i++) {
            char c = content.charAt(i);
            if (c == ':' || c == '=') {
                return i;
            }
        }
        return -1;
    }

    /**
     * SwarmUI's unescaping, replacement by replacement in its order (so {@code \x} is removed before {@code \s}
     * becomes a backslash; a file SwarmUI wrote never holds a bare backslash, as it writes {@code \s} for one).
     */
    static String unescape(String text) {
        return text.replace("\\t", "\t").replace("\\n", "\n").replace("\\r", "\r").replace("\\x", "")
                .replace("\\s", "\\");
    }

    static String unescapeKey(String text) {
        return unescape(text.replace("\\d", ".").replace("\\c", ":").replace("\\e", "="));
    }

    /** Strict UTF-8: a malformed byte is an error naming its line, not a silent replacement character. */
    private static String decode(byte[] bytes) throws FdsParseException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            int line = 1;
            for (int i = 0; i < in.position(); i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            throw new FdsParseException(line, "not UTF-8 text (byte " + in.position() + " of the file)");
        }
        decoder.flush(out);
        return out.flip().toString();
    }
}
