package dev.switchboard.server.outputs;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The cleaning of every name that becomes part of a path under {@code outputs/}, following SwarmUI's strict file-name
 * cleaning: characters that are forbidden or special on some system are removed, so are dots (so no name can be
 * {@code ..} or carry a second extension) and invisible formatting characters, names are trimmed, and the names
 * Windows reserves ({@code con}, {@code nul}, {@code com1}, ...) get a trailing {@code _}.
 *
 * <p>Two deliberate additions to SwarmUI: {@code %} is removed too (a file name with {@code %} cannot be reached
 * through a URL that is decoded twice, as {@code /View/} paths are), and each path segment is cut to
 * {@value #MAX_SEGMENT_BYTES} UTF-8 bytes, so 40 characters of 4-byte emoji per tag never exceed the 255-byte name
 * limit of common file systems.
 */
final class OutputNames {
    /** How many characters (code points) of a filled tag are kept, SwarmUI's default {@code MaxLenPerPart}. */
    static final int MAX_TAG_LENGTH = 40;
    /** The longest path segment in UTF-8 bytes; leaves room for {@code -NNN} and {@code .swarm.json}. */
    static final int MAX_SEGMENT_BYTES = 180;
    /** The longest user id, in characters. */
    static final int MAX_USER_LENGTH = 64;

    // SwarmUI's forbidden set (control characters and <>:"\|?*~&@;#$^), plus '%' and DEL.
    private static final String FORBIDDEN = "<>:\"\\|?*~&@;#$^%";
    private static final Set<String> RESERVED = reservedNames();

    private OutputNames() {
    }

    /**
     * Cleans the value of one filled tag: cut to {@value #MAX_TAG_LENGTH} characters, folder separators removed,
     * then cleaned as one segment.
     */
    static String cleanTag(String value) {
        String cut = cutCodePoints(value, MAX_TAG_LENGTH);
        return cleanSegment(cut.replace("\\", "").replace("/", ""));
    }

    /**
     * Cleans a relative path made by the path format: {@code \} counts as {@code /}, every segment is cleaned and
     * cut, and empty segments are dropped (so the result never starts with or contains an empty or dot segment).
     */
    static List<String> cleanPath(String path) {
        List<String> segments = new ArrayList<>();
        for (String part : path.replace('\\', '/').split("/", -1)) {
            String clean = cutUtf8(cleanSegment(part), MAX_SEGMENT_BYTES);
            if (!clean.isEmpty()) {
                segments.add(clean);
            }
        }
        return segments;
    }

    /**
     * The folder name for a user id: cleaned as one segment (no separators, no dots).
     *
     * @throws IllegalArgumentException when nothing usable is left or it is longer than {@value #MAX_USER_LENGTH}
     *     characters (users are never silently merged by cutting their ids)
     */
    static String user(String id) {
        if (id == null) {
            throw new IllegalArgumentException("The user id is missing");
        }
        String clean = cleanSegment(id.replace("\\", "").replace("/", ""));
        if (clean.isEmpty()) {
            throw new IllegalArgumentException("The user id has no character that can name a folder");
        }
        if (clean.codePointCount(0, clean.length()) > MAX_USER_LENGTH) {
            throw new IllegalArgumentException("The user id is longer than " + MAX_USER_LENGTH + " characters");
        }
        return clean;
    }

    /** Whether a name is exactly the folder name of some user id (so it needs no cleaning). */
    static boolean isUserFolder(String name) {
        try {
            return user(name).equals(name);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Whether a character is removed from every name: control characters, DEL and {@code <>:"\|?*~&@;#$^%}. */
    static boolean isForbidden(int c) {
        return c < 32 || c == 0x7f || FORBIDDEN.indexOf(c) >= 0;
    }

    /** Removes forbidden, dot and invisible characters, trims, and suffixes reserved names with {@code _}. */
    static String cleanSegment(String name) {
        StringBuilder kept = new StringBuilder(name.length());
        name.codePoints().filter(c -> !isForbidden(c) && c != '.' && !isInvisible(c)).forEach(kept::appendCodePoint);
        String clean = kept.toString().strip();
        return RESERVED.contains(clean.toLowerCase(Locale.ROOT)) ? clean + "_" : clean;
    }

    /**
     * Formatting characters that are invisible in a name (zero-width spaces and joiners, direction marks and
     * overrides, the byte-order mark, ...), as SwarmUI's list, plus lone surrogates, which no file system takes.
     */
    static boolean isInvisible(int c) {
        return c == 0x180e || (c >= 0x200b && c <= 0x200f) || (c >= 0x202a && c <= 0x202e)
                || (c >= 0x2060 && c <= 0x2064) || (c >= 0x2066 && c <= 0x206f) || c == 0xfeff
                || (c >= 0xfff9 && c <= 0xfffb) || (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE);
    }

    static String cutCodePoints(String value, int max) {
        if (value.codePointCount(0, value.length()) <= max) {
            return value;
        }
        return value.substring(0, value.offsetByCodePoints(0, max));
    }

    static String cutUtf8(String value, int maxBytes) {
        if (value.getBytes(UTF_8).length <= maxBytes) {
            return value;
        }
        StringBuilder cut = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < value.length(); ) {
            int c = value.codePointAt(i);
            int size = new String(Character.toChars(c)).getBytes(UTF_8).length;
            if (bytes + size > maxBytes) {
                break;
            }
            cut.appendCodePoint(c);
            bytes += size;
            i += Character.charCount(c);
        }
        return cut.toString().strip();
    }

    private static Set<String> reservedNames() {
        List<String> names = new ArrayList<>(List.of("con", "prn", "aux", "nul"));
        for (int i = 0; i <= 9; i++) {
            names.add("com" + i);
            names.add("lpt" + i);
        }
        return Set.copyOf(names);
    }
}
