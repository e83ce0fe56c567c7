package dev.switchboard.server.outputs;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The hygiene of paths that clients send into a user's outputs folder ({@code /View/} and the gallery), after
 * SwarmUI's {@code CheckFilePath}: {@code \} counts as {@code /}, forbidden characters are removed, every
 * {@code ..} is removed, and the result must stay inside the folder. Two refusals are added: an absolute path
 * ({@code /x}, {@code C:x}, {@code //host/x}) and a path that started by leaving the folder ({@code ../x}, which
 * SwarmUI would quietly turn into {@code /x}) are refused instead of being re-read as relative.
 */
final class OutputPaths {
    private static final Pattern DRIVE = Pattern.compile("^[A-Za-z]:");

    private OutputPaths() {
    }

    /**
     * Decodes {@code %XX} escapes as UTF-8, as .NET's {@code Uri.UnescapeDataString}: {@code +} stays a plus, and
     * escapes that are broken or do not form UTF-8 stay as written.
     */
    static String percentDecode(String text) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        StringBuilder decoded = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            int end = i;
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            while (end + 2 < text.length() && text.charAt(end) == '%' && isHex(text.charAt(end + 1))
                    && isHex(text.charAt(end + 2))) {
                bytes.write(Integer.parseInt(text.substring(end + 1, end + 3), 16));
                end += 3;
            }
            if (end == i) {
                decoded.append(text.charAt(i));
                i++;
                continue;
            }
            try {
                decoded.append(UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes.toByteArray())));
            } catch (CharacterCodingException e) {
                decoded.append(text, i, end);
            }
            i = end;
        }
        return decoded.toString();
    }

    /**
     * Cleans a path relative to a user's folder.
     *
     * @return the path with {@code /} between segments, never empty, never starting or ending with {@code /}, with
     *     no forbidden character and no {@code ..}
     * @throws OutputPathException when it is absolute, leaves the folder or is empty
     */
    static String clean(String path) throws OutputPathException {
        String clean = path.replace('\\', '/');
        if (clean.startsWith("/") || DRIVE.matcher(clean).find()) {
            throw new OutputPathException("an absolute path");
        }
        StringBuilder kept = new StringBuilder(clean.length());
        clean.codePoints().filter(c -> !OutputNames.isForbidden(c)).forEach(kept::appendCodePoint);
        clean = kept.toString();
        while (clean.contains("..")) {
            clean = clean.replace("..", "");
        }
        clean = clean.strip();
        while (clean.contains("//")) {
            clean = clean.replace("//", "/");
        }
        if (clean.startsWith("/")) {
            throw new OutputPathException("a path that leaves its folder");
        }
        if (clean.endsWith("/")) {
            clean = clean.substring(0, clean.length() - 1);
        }
        if (clean.isEmpty()) {
            throw new OutputPathException("an empty path");
        }
        return clean;
    }

    /**
     * Resolves a cleaned relative path inside a user's folder.
     *
     * @throws OutputPathException when it names the folder itself or a place outside it, or no valid path
     */
    static Path resolve(Path userFolder, String clean) throws OutputPathException {
        Path target = userFolder;
        try {
            for (String segment : clean.split("/")) {
                if (!segment.isEmpty()) {
                    target = target.resolve(segment);
                }
            }
        } catch (InvalidPathException e) {
            throw new OutputPathException("not a valid path here: " + e.getReason());
        }
        target = target.normalize();
        if (!target.startsWith(userFolder) || target.equals(userFolder)) {
            throw new OutputPathException("a path outside the user's folder");
        }
        return target;
    }

    /**
     * Checks that a file's real location (symbolic links resolved) is inside the user's real folder.
     *
     * @throws OutputPathException when a link leads out of it
     */
    static void checkInside(Path realUserFolder, Path realFile) throws OutputPathException {
        if (!realFile.startsWith(realUserFolder) || realFile.equals(realUserFolder)) {
            throw new OutputPathException("a symbolic link that leads out of the user's folder");
        }
    }

    /** Whether a path inside a user's folder passes through a hidden name (a temporary file, {@code .x}). */
    static boolean isHidden(Path relative) {
        for (Path segment : relative) {
            if (segment.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    /** The text of a path for a log line: control characters shown as {@code ?}, at most 300 characters. */
    static String printable(String path) {
        StringBuilder shown = new StringBuilder();
        path.codePoints().limit(300).forEach(c -> shown.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return shown.toString();
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
